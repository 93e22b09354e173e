package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.nlp.SequenceLabeling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random calls of the task helpers, valid and invalid, judged as in {@link GatherOpsFuzzTest}:
 * the reference's result, or an IllegalArgumentException {@code "<op>: <argument> ...;
 * expected ..., got ..."}; never another exception type, never a changed argument.
 *
 * <p>Covers {@link SequenceLabeling#labelScores}; the other helper families have their own
 * tests on {@link HelperFuzz}: {@link PixelGatherFuzzTest}, {@link HeadsFuzzTest}, {@link
 * CrfFuzzTest}, {@link LossesFuzzTest}. Cases: {@code -Ddjlgather.reliability.cases} (a third
 * of it here).
 */
class HelpersFuzzTest {

    @Test
    void labelScoresMatchesTheReferenceOrFailsWithItsOwnError() {
        long seed = Long.getLong("djlgather.reliability.seed", GatherOpsFuzzTest.DEFAULT_SEED);
        int cases = Integer.getInteger("djlgather.reliability.cases",
                GatherOpsFuzzTest.DEFAULT_CASES) / 3;
        List<String> failures = new ArrayList<>();
        int valid = 0;
        int rejected = 0;
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (int i = 0; i < cases; i++) {
                SplittableRandom rnd = new SplittableRandom(seed * 31 + i);
                Arr[] args = labelScoresCase(rnd);
                String mutation = args[2] == null ? "valid" : "mutated";
                double[] want = null;
                long[] wantShape = null;
                String invalid = labelScoresInvalid(args[0], args[1]);
                if (invalid == null) {
                    Arr logits = args[0];
                    Arr labels = args[1];
                    wantShape = labels.shape;
                    want = new double[labels.numel()];
                    for (int f = 0; f < want.length; f++) {
                        want[f] = logits.data[(int) (f * logits.size(2) + labels.data[f])];
                    }
                }
                String failure;
                boolean error = false;
                try (NDManager scope = base.newSubManager()) {
                    NDArray logits = args[0] == null ? null : args[0].create(scope);
                    NDArray labels = args[1] == null ? null : args[1].create(scope);
                    NDArray[] nd = {logits, labels};
                    byte[][] before = GatherOpsFuzzTest.contents(nd);
                    failure = null;
                    NDArray out = null;
                    try {
                        out = SequenceLabeling.labelScores(logits, labels);
                    } catch (IllegalArgumentException e) {
                        error = true;
                        String m = String.valueOf(e.getMessage());
                        if (invalid == null) {
                            failure = "rejected valid arguments: " + m;
                        } else if (!(m.startsWith("labelScores: logits ")
                                || m.startsWith("labelScores: labels "))
                                || !m.contains("; expected ") || !m.contains(", got ")) {
                            failure = "message not of the form 'labelScores: <argument> ...': " + m;
                        }
                    } catch (Throwable t) { // NOPMD: any other type is the failure under test
                        failure = "threw " + t.getClass().getName() + ": " + t.getMessage();
                    }
                    if (failure == null && !Arrays.deepEquals(before, GatherOpsFuzzTest.contents(nd))) {
                        failure = "modified an argument";
                    }
                    if (failure == null && out != null) {
                        if (invalid != null) {
                            failure = "accepted invalid arguments (" + invalid + ")";
                        } else if (!Arrays.equals(wantShape, out.getShape().getShape())
                                || out.getDataType() != logits.getDataType()
                                || out.getManager() != logits.getManager()) {
                            failure = "result " + out + " on " + out.getManager().getName();
                        } else {
                            double[] got = Arr.values(out);
                            for (int f = 0; f < got.length && failure == null; f++) {
                                if (!NaiveOps.close(got[f], want[f], out.getDataType())) {
                                    failure = "element " + f + " is " + got[f] + ", expected "
                                            + want[f];
                                }
                            }
                        }
                    }
                }
                if (failure != null) {
                    failures.add("seed " + seed + " case " + i + " [" + mutation + "] logits="
                            + args[0] + " labels=" + args[1] + ": " + failure);
                } else if (error) {
                    rejected++;
                } else {
                    valid++;
                }
            }
        }
        System.out.printf("reliability: fuzz-helpers labelScores cases=%d matched-reference=%d"
                + " rejected-with-IAE=%d failures=%d%n", cases, valid, rejected, failures.size());
        failures.stream().limit(25).forEach(f -> System.out.println("reliability: FAIL " + f));
        assertEquals(0, failures.size(), () -> "first: " + failures.get(0));
        assertTrue(valid > cases / 3 && rejected > cases / 5, valid + " / " + rejected);
    }

    /** {logits, labels, marker}: marker non-null when the case was mutated. */
    private static Arr[] labelScoresCase(SplittableRandom rnd) {
        int b = rnd.nextInt(5);
        int t = rnd.nextInt(5);
        int c = 1 + rnd.nextInt(5);
        DataType type = rnd.nextBoolean() ? DataType.FLOAT32 : DataType.FLOAT64;
        Arr logits = values(rnd, type, new long[] {b, t, c});
        double[] tags = new double[b * t];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = rnd.nextInt(c);
        }
        Arr labels = new Arr(rnd.nextBoolean() ? DataType.INT64 : DataType.INT32,
                new long[] {b, t}, tags);
        if (rnd.nextDouble() >= 0.45) {
            return new Arr[] {logits, labels, null};
        }
        switch (rnd.nextInt(9)) {
            case 0:
                logits = null;
                break;
            case 1:
                labels = null;
                break;
            case 2:
                logits = logits.withType(DataType.INT64);
                break;
            case 3:
                labels = labels.withType(rnd.nextBoolean() ? DataType.FLOAT32 : DataType.INT8);
                break;
            case 4:
                if (tags.length > 0) {
                    tags[rnd.nextInt(tags.length)] = rnd.nextBoolean() ? c + rnd.nextInt(3)
                            : -1 - rnd.nextInt(3);
                }
                break;
            case 5:
                labels = values(rnd, labels.type, new long[] {b + 1, t});
                break;
            case 6:
                labels = labels.reshaped(new long[] {b, t, 1});
                break;
            case 7:
                logits = logits.reshaped(new long[] {b, (long) t * c});
                break;
            default:
                logits = logits.reshaped(new long[] {b, t, c, 1});
                break;
        }
        return new Arr[] {logits, labels, labels /* marker */};
    }

    /** Why labelScores must reject the arguments, or null when they are valid. */
    private static String labelScoresInvalid(Arr logits, Arr labels) {
        if (logits == null || labels == null) {
            return "null";
        }
        if (logits.rank() != 3 || logits.type == DataType.INT64) {
            return "logits rank or dtype";
        }
        if (labels.type != DataType.INT32 && labels.type != DataType.INT64) {
            return "labels dtype";
        }
        if (!Arrays.equals(labels.shape, new long[] {logits.size(0), logits.size(1)})) {
            return "labels shape";
        }
        for (double v : labels.data) {
            if (v < 0 || v >= logits.size(2)) {
                return "label value";
            }
        }
        return null;
    }

    private static Arr values(SplittableRandom rnd, DataType type, long[] shape) {
        double[] data = new double[Arr.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextInt(9) - 4;
        }
        return new Arr(type, shape, data);
    }
}
