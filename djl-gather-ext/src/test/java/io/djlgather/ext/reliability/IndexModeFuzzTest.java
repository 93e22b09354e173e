package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.IndexMode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random calls of the {@link IndexMode} overloads, valid and invalid, judged as {@link
 * GatherOpsFuzzTest} judges the plain ops (the reference's result, or an IllegalArgumentException
 * of the standard form; no other exception; no argument changed): the generator's cases with a
 * mode (mostly one the op takes, sometimes one it rejects or null) and index values beyond both
 * ends of their range; and random {@link GatherOps#gatherNd} calls under every mode against a
 * naive gather_nd.
 *
 * <p>CI runs {@value #DEFAULT_CASES} cases of each kind. Long runs: {@code
 * -Ddjlgather.reliability.modeCases=100000}.
 */
class IndexModeFuzzTest {

    static final int DEFAULT_CASES = 2_500;

    @Test
    void modeOverloadsMatchTheReferenceOrFailWithTheirOwnError() {
        long seed = Long.getLong("djlgather.reliability.seed", GatherOpsFuzzTest.DEFAULT_SEED) + 11;
        int cases = Integer.getInteger("djlgather.reliability.modeCases", DEFAULT_CASES);
        CaseGenerator generator = new CaseGenerator(seed, 0.25);
        Map<Case.Op, int[]> perOp = new EnumMap<>(Case.Op.class);
        Map<String, int[]> perMode = new java.util.TreeMap<>();
        List<String> failures = new ArrayList<>();
        int valid = 0;
        int rejected = 0;
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (long i = 0; valid + rejected + failures.size() < cases; i++) {
                Case c = generator.generateWithMode(i);
                if (!c.withMode) {
                    continue;
                }
                NaiveOps.Expected expected = NaiveOps.expect(c);
                GatherOpsFuzzTest.Outcome outcome;
                try (NDManager scope = base.newSubManager()) {
                    outcome = GatherOpsFuzzTest.run(c, expected, scope);
                }
                if (outcome.failure != null) {
                    failures.add("seed " + seed + " case " + i + ": " + c + "\n    " + outcome.failure);
                    continue;
                }
                perOp.computeIfAbsent(c.op, k -> new int[2])[outcome.rejected ? 1 : 0]++;
                String mode = c.mode == null ? "null" : c.mode.kind().name();
                perMode.computeIfAbsent(mode, k -> new int[2])[outcome.rejected ? 1 : 0]++;
                if (outcome.rejected) {
                    rejected++;
                } else {
                    valid++;
                }
            }
        }
        StringBuilder counts = new StringBuilder();
        perOp.forEach((op, n) -> counts.append(' ').append(op).append('=').append(n[0]).append('/').append(n[1]));
        perMode.forEach((m, n) -> counts.append(' ').append(m).append('=').append(n[0]).append('/').append(n[1]));
        System.out.printf("reliability: mode fuzz seed=%d cases=%d matched-reference=%d"
                        + " rejected-with-IAE=%d failures=%d;%s (valid/rejected)%n",
                seed, cases, valid, rejected, failures.size(), counts);
        failures.stream().limit(25).forEach(f -> System.out.println("reliability: FAIL " + f));
        assertEquals(0, failures.size(), () -> failures.size() + " failing cases; first: " + failures.get(0));
        // CLIP, DROP and FILL must have run on out-of-range values and given results
        for (String m : new String[] {"CLIP", "DROP", "FILL"}) {
            assertTrue(perMode.containsKey(m) && perMode.get(m)[0] > cases / 20,
                    m + " valid calls: " + counts);
        }
        assertTrue(rejected > cases / 10, "rejected calls: " + rejected);
    }

    // ---------------------------------------------------------------------------------------
    // gatherNd

    @Test
    void gatherNdMatchesANaiveGatherNdOrFailsWithItsOwnError() {
        int cases = Integer.getInteger("djlgather.reliability.modeCases", DEFAULT_CASES);
        List<String> failures = new ArrayList<>();
        int valid = 0;
        int rejected = 0;
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (long i = 0; i < cases; i++) {
                SplittableRandom rnd = new SplittableRandom(GatherOpsFuzzTest.DEFAULT_SEED * 31 + i);
                NdCase c = NdCase.random(rnd);
                String failure;
                boolean wasRejected = false;
                try (NDManager scope = base.newSubManager()) {
                    NDArray input = c.input.create(scope);
                    NDArray coords = c.coords.create(scope);
                    byte[][] before = GatherOpsFuzzTest.contents(new NDArray[] {input, coords});
                    String invalid = c.invalid();
                    NDArray result = null;
                    String error = null;
                    try {
                        result = GatherOps.gatherNd(input, coords, c.batchDims, c.mode);
                    } catch (IllegalArgumentException e) {
                        error = e.getMessage();
                    } catch (RuntimeException e) {
                        error = "threw " + e;
                    }
                    wasRejected = error != null;
                    if (!Arrays.deepEquals(before, GatherOpsFuzzTest.contents(new NDArray[] {input, coords}))) {
                        failure = "modified an argument";
                    } else if (error != null) {
                        failure = invalid == null ? "rejected valid arguments: " + error
                                : error.matches("gatherNd: (input|coords|batchDims|mode) .*; expected .*, got .*")
                                        ? null : "message not of the standard form: " + error;
                    } else if (invalid != null) {
                        failure = "accepted invalid arguments (" + invalid + ")";
                    } else {
                        failure = c.judge(result);
                    }
                }
                if (failure != null) {
                    failures.add("case " + i + ": " + c + "\n    " + failure);
                } else if (wasRejected) {
                    rejected++;
                } else {
                    valid++;
                }
            }
        }
        System.out.printf("reliability: gatherNd fuzz cases=%d matched-reference=%d rejected-with-IAE=%d"
                + " failures=%d%n", cases, valid, rejected, failures.size());
        failures.stream().limit(25).forEach(f -> System.out.println("reliability: FAIL " + f));
        assertEquals(0, failures.size(), () -> failures.size() + " failing cases; first: " + failures.get(0));
        assertTrue(valid > cases / 3 && rejected > cases / 10, valid + " / " + rejected);
    }

    /** One random gatherNd call: input, coords, batchDims, mode (any of them may be wrong). */
    private static final class NdCase {
        Arr input;
        Arr coords;
        int batchDims;
        IndexMode mode;

        static NdCase random(SplittableRandom rnd) {
            NdCase c = new NdCase();
            DataType[] types = {DataType.FLOAT32, DataType.FLOAT64, DataType.INT64};
            int rank = rnd.nextInt(5);
            long[] in = new long[rank];
            for (int d = 0; d < rank; d++) {
                in[d] = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(4);
            }
            c.input = values(rnd, types[rnd.nextInt(3)], in);
            c.batchDims = rank == 0 ? 0 : rnd.nextInt(Math.min(rank, 2) + 1);
            int k = rnd.nextInt(rank - Math.min(c.batchDims, rank) + 1);
            int middle = rnd.nextInt(3);
            long[] cs = new long[c.batchDims + middle + 1];
            System.arraycopy(in, 0, cs, 0, Math.min(c.batchDims, rank));
            for (int d = c.batchDims; d < c.batchDims + middle; d++) {
                cs[d] = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(3);
            }
            cs[cs.length - 1] = k;
            boolean wild = rnd.nextInt(3) > 0;
            double[] data = new double[Arr.numel(cs)];
            for (int i = 0; i < data.length; i++) {
                long size = in[c.batchDims + i % k];
                data[i] = wild && rnd.nextInt(4) == 0
                        ? (rnd.nextBoolean() ? size + rnd.nextInt(3) : -1 - rnd.nextInt(3))
                        : size == 0 ? 0 : rnd.nextLong(size);
            }
            c.coords = new Arr(rnd.nextBoolean() ? DataType.INT32 : DataType.INT64, cs, data);
            int pick = rnd.nextInt(20);
            c.mode = pick == 0 ? null : pick == 1 ? IndexMode.DROP : pick < 8 ? IndexMode.ERROR
                    : pick < 14 ? IndexMode.CLIP : IndexMode.fill(rnd.nextInt(5) == 0 ? 0.5 : -7);
            switch (rnd.nextInt(14)) { // mutations
                case 0:
                    c.batchDims = rnd.nextBoolean() ? -1 : c.coords.rank() + rnd.nextInt(2);
                    break;
                case 1:
                    c.coords = c.coords.withType(DataType.FLOAT32);
                    break;
                case 2:
                    c.coords = new Arr(c.coords.type, new long[0], new double[] {0});
                    break;
                case 3: {
                    long[] s = c.coords.shape.clone();
                    s[s.length - 1] = rank - c.batchDims + 1; // too many coordinates
                    c.coords = new Arr(c.coords.type, s, new double[Arr.numel(s)]);
                    break;
                }
                case 4:
                    if (c.batchDims > 0) {
                        long[] s = c.coords.shape.clone();
                        s[0] += 1; // batch mismatch
                        c.coords = new Arr(c.coords.type, s, new double[Arr.numel(s)]);
                    }
                    break;
                default:
                    break;
            }
            return c;
        }

        private static Arr values(SplittableRandom rnd, DataType type, long[] shape) {
            double[] data = new double[Arr.numel(shape)];
            for (int i = 0; i < data.length; i++) {
                data[i] = rnd.nextInt(9) - 4;
            }
            return new Arr(type, shape, data);
        }

        /** Why the call is invalid, or null. */
        String invalid() {
            if (mode == null || mode.kind() == IndexMode.Kind.DROP) {
                return "mode";
            }
            if (coords.type != DataType.INT32 && coords.type != DataType.INT64) {
                return "coords dtype";
            }
            int rank = coords.rank();
            if (rank == 0) {
                return "coords rank 0";
            }
            if (batchDims < 0 || batchDims >= rank) {
                return "batchDims";
            }
            long k = coords.size(rank - 1);
            if (batchDims + k > input.rank()) {
                return "too many coordinates";
            }
            for (int d = 0; d < batchDims; d++) {
                if (input.size(d) != coords.size(d)) {
                    return "batch mismatch";
                }
            }
            if (mode.kind() == IndexMode.Kind.FILL && input.type == DataType.INT64
                    && mode.fillValue() != Math.rint(mode.fillValue())) {
                return "fractional fill";
            }
            for (int i = 0; i < coords.numel(); i++) {
                long size = input.size(batchDims + (int) (i % k));
                long v = (long) coords.data[i];
                if (v < 0 || v >= size) {
                    if (mode.kind() == IndexMode.Kind.ERROR) {
                        return "coordinate out of range";
                    }
                    if (mode.kind() == IndexMode.Kind.CLIP && size == 0) {
                        return "clip into an empty axis";
                    }
                }
            }
            return null;
        }

        /** Compares a result with the naive gather_nd; null when it matches. */
        String judge(NDArray result) {
            int rank = coords.rank();
            int k = (int) coords.size(rank - 1);
            int restRank = input.rank() - batchDims - k;
            long[] shape = new long[rank - 1 + restRank];
            System.arraycopy(coords.shape, 0, shape, 0, rank - 1);
            System.arraycopy(input.shape, batchDims + k, shape, rank - 1, restRank);
            if (result.getDataType() != input.type) {
                return "dtype " + result.getDataType();
            }
            if (!Arrays.equals(shape, result.getShape().getShape())) {
                return "shape " + result.getShape() + ", expected " + Arrays.toString(shape);
            }
            double[] got = Arr.values(result);
            for (int f = 0; f < got.length; f++) {
                int[] p = Arr.coords(shape, f);
                int[] at = new int[input.rank()];
                System.arraycopy(p, 0, at, 0, batchDims);
                System.arraycopy(p, rank - 1, at, batchDims + k, restRank);
                int[] c = new int[rank];
                System.arraycopy(p, 0, c, 0, rank - 1);
                boolean fill = false;
                for (int j = 0; j < k; j++) {
                    c[rank - 1] = j;
                    long v = (long) coords.data[Arr.flat(coords.shape, c)];
                    long size = input.size(batchDims + j);
                    if (v < 0 || v >= size) {
                        fill |= mode.kind() == IndexMode.Kind.FILL;
                        v = Math.max(0, Math.min(size - 1, v));
                    }
                    at[batchDims + j] = (int) v;
                }
                double want = fill ? mode.fillValue() : input.data[Arr.flat(input.shape, at)];
                if (!NaiveOps.close(got[f], want, input.type)) {
                    return "element " + f + " is " + got[f] + ", expected " + want;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "gatherNd(input=" + input + ", coords=" + coords + ", batchDims=" + batchDims
                    + ", mode=" + mode + ")";
        }
    }
}
