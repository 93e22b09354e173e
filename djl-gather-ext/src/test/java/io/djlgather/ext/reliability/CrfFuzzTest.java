package io.djlgather.ext.reliability;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.nlp.CrfBlock;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random calls of {@link CrfBlock}'s static twins {@code logPartition}, {@code goldScore} and
 * {@code viterbiDecode} (both overloads), valid and invalid, on small CRFs (C &lt;= 4, T &lt;=
 * 5) with random masks: none, full, left, right and inner padding, empty sequences. The
 * reference is brute force over all C^n tag paths of each sequence's n real steps (see {@link
 * Brute}); Viterbi is judged by its path's brute-force score, so ties may go either way. Judged
 * by {@link HelperFuzz}. Cases: {@code -Ddjlgather.reliability.cases} (a sixth of it here).
 */
class CrfFuzzTest {

    // bfloat16 is left out: DJL 0.36's JNI aborts the JVM on toType(BFLOAT16) (its dtype table
    // has no bfloat16), so a test cannot make such an array; the op library handles it as float16.
    static final List<DataType> FLOATS = List.of(DataType.FLOAT32, DataType.FLOAT64,
            DataType.FLOAT16);
    static final List<DataType> MASK_TYPES = List.of(DataType.BOOLEAN, DataType.INT32,
            DataType.INT64, DataType.FLOAT32, DataType.FLOAT64, DataType.INT8);
    static final List<DataType> INDEX_TYPES = List.of(DataType.INT32, DataType.INT64);

    private static final String[] OPS = {"logPartition", "goldScore", "viterbiDecode"};

    @Test
    void crfTwinsMatchBruteForceOrFailWithTheirOwnError() {
        int cases = HelperFuzz.cases(6);
        HelperFuzz.Tally tally = new HelperFuzz.Tally("crf");
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (long i = 0; i < cases; i++) {
                SplittableRandom rnd = HelperFuzz.random(17, i);
                tally.run(base, i, crfCall(rnd, OPS[rnd.nextInt(3)]));
            }
        }
        tally.report();
    }

    /** A random valid CRF problem: emissions, tags, mask (may be null), transitions, start, end. */
    static Arr[] problem(SplittableRandom rnd) {
        int b = rnd.nextInt(4);
        int t = rnd.nextInt(6);
        int c = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(4);
        DataType type = HelperFuzz.pick(rnd, FLOATS);
        Arr emissions = HelperFuzz.floats(rnd, type, new long[] {b, t, c}, -3, 3);
        Arr mask = mask(rnd, b, t);
        // parameters may come in another dtype (even integers): they are cast to emissions'
        DataType pt = rnd.nextInt(6) == 0 ? DataType.INT64 : HelperFuzz.pick(rnd, FLOATS);
        Arr transitions = pt == DataType.INT64
                ? HelperFuzz.ints(rnd, pt, new long[] {c, c}, -2, 2)
                : HelperFuzz.floats(rnd, pt, new long[] {c, c}, -2, 2);
        Arr start = HelperFuzz.floats(rnd, HelperFuzz.pick(rnd, FLOATS), new long[] {c}, -2, 2);
        Arr end = HelperFuzz.floats(rnd, HelperFuzz.pick(rnd, FLOATS), new long[] {c}, -2, 2);
        if (isHalf(type)) {
            // parameters are cast to the emissions' dtype (or, in CrfLoss, all to float32):
            // multiples of 1/64 in [-2, 2] are exact in every float dtype, so both casts are
            for (Arr parameter : new Arr[] {transitions, start, end}) {
                for (int f = 0; f < parameter.data.length; f++) {
                    parameter.data[f] = Math.rint(parameter.data[f] * 64) / 64;
                }
            }
        }
        double[] tags = new double[b * t];
        for (int f = 0; f < tags.length; f++) {
            boolean real = mask == null || mask.data[f] != 0;
            tags[f] = c > 0 && (real || rnd.nextBoolean()) ? rnd.nextInt(c)
                    : List.of(-1, c, 99, -100).get(rnd.nextInt(4)); // never read
        }
        Arr tagArr = new Arr(HelperFuzz.pick(rnd, INDEX_TYPES), new long[] {b, t}, tags);
        return new Arr[] {emissions, tagArr, mask, transitions, start, end};
    }

    static boolean isHalf(DataType type) {
        return type == DataType.FLOAT16 || type == DataType.BFLOAT16;
    }

    /**
     * The tolerance (relative, at least absolute) of a CRF or loss result in the inputs' float
     * dtype: half dtypes compute in float32 and round the result once (float16 2^-11, bfloat16
     * 2^-8 relative), with a margin.
     */
    static double tol(DataType type) {
        switch (type) {
            case FLOAT16:
                return 1e-3;
            case BFLOAT16:
                return 8e-3;
            case FLOAT32:
                return 2e-5;
            default:
                return 1e-10;
        }
    }

    /** Null (all real), or a [B,T] mask: full, right/left/inner padding, empty, or random. */
    static Arr mask(SplittableRandom rnd, int b, int t) {
        int pattern = rnd.nextInt(7);
        if (pattern == 0) {
            return null;
        }
        double[] m = new double[b * t];
        for (int s = 0; s < b; s++) {
            int len = rnd.nextInt(t + 1);
            int off = rnd.nextInt(t - len + 1);
            for (int k = 0; k < t; k++) {
                boolean real;
                switch (pattern) {
                    case 1: real = true; break;
                    case 2: real = k < len; break; // right padding
                    case 3: real = k >= t - len; break; // left padding
                    case 4: real = k >= off && k < off + len; break; // both sides
                    case 5: real = (k == 0 || k == t - 1 || rnd.nextBoolean()) && len > 0; break;
                    default: real = rnd.nextBoolean(); break;
                }
                m[s * t + k] = real ? 1 : 0;
            }
        }
        DataType type = HelperFuzz.pick(rnd, MASK_TYPES);
        if (type != DataType.BOOLEAN) {
            for (int f = 0; f < m.length; f++) {
                m[f] = m[f] == 0 ? 0 : List.of(1, 2, -1).get(rnd.nextInt(3)); // nonzero = real
            }
        }
        return new Arr(type, new long[] {b, t}, m);
    }

    /**
     * Applies one random invalid change to a problem (in place); returns its description, or
     * "valid" when none was applied. Names: emissions, tags, mask, transitions, start, end.
     */
    static String mutate(SplittableRandom rnd, Arr[] p, boolean tagsUsed, double rate) {
        if (rnd.nextDouble() >= rate) {
            return "valid";
        }
        Arr e = p[0];
        long b = e.size(0);
        long t = e.size(1);
        long c = e.size(2);
        switch (rnd.nextInt(tagsUsed ? 14 : 10)) {
            case 0: p[0] = null; return "emissions null";
            case 1: p[0] = e.reshaped(new long[] {b, t * c}); return "emissions rank 2";
            case 2: p[0] = e.reshaped(new long[] {b, t, c, 1}); return "emissions rank 4";
            case 3:
                p[0] = e.withType(rnd.nextBoolean() ? DataType.INT32 : DataType.INT64);
                return "int emissions";
            case 4:
                p[2] = HelperFuzz.zeros(DataType.BOOLEAN, rnd.nextBoolean()
                        ? new long[] {b, t + 1} : new long[] {b + 1, t});
                return "mask shape";
            case 5:
                p[2] = HelperFuzz.zeros(DataType.INT64, new long[] {b});
                return "mask rank 1";
            case 6:
                p[3] = rnd.nextBoolean() ? null
                        : HelperFuzz.zeros(p[3].type, rnd.nextBoolean() ? new long[] {c, c + 1}
                                : new long[] {c + 1, c + 1});
                return "transitions null or shape";
            case 7:
                p[4] = rnd.nextBoolean() ? null : HelperFuzz.zeros(p[4].type, new long[] {c + 1});
                return "start null or shape";
            case 8:
                p[5] = rnd.nextBoolean() ? null : HelperFuzz.zeros(p[5].type, new long[] {c, 1});
                return "end null or shape";
            case 9:
                p[3] = HelperFuzz.zeros(p[3].type, new long[] {c * c});
                return "transitions rank 1";
            case 10: p[1] = null; return "tags null";
            case 11:
                p[1] = p[1].withType(rnd.nextBoolean() ? DataType.FLOAT32 : DataType.INT8);
                return "tags dtype";
            case 12:
                p[1] = HelperFuzz.zeros(p[1].type, rnd.nextBoolean() ? new long[] {b, t + 1}
                        : new long[] {b, t, 1});
                return "tags shape";
            default: {
                // a tag out of range: invalid at a real step, ignored at a padded one
                if (p[1].numel() > 0) {
                    p[1].data[rnd.nextInt(p[1].numel())] =
                            rnd.nextBoolean() ? c + rnd.nextInt(3) : -1 - rnd.nextInt(3);
                }
                return "a tag out of range";
            }
        }
    }

    /**
     * Why the CRF arguments are invalid, or null: tags are checked only when {@code tagsUsed};
     * C == 0 is invalid when a tag path is scored or chosen ({@code needsTags}).
     */
    static String invalid(Arr[] p, boolean tagsUsed, boolean needsTags) {
        Arr e = p[0];
        if (e == null) {
            return "emissions null";
        }
        if (e.rank() != 3 || !FLOATS.contains(e.type)) {
            return "emissions rank or dtype";
        }
        long b = e.size(0);
        long t = e.size(1);
        long c = e.size(2);
        if (p[2] != null && !Arrays.equals(p[2].shape, new long[] {b, t})) {
            return "mask shape";
        }
        if (p[3] == null || !Arrays.equals(p[3].shape, new long[] {c, c})) {
            return "transitions";
        }
        if (p[4] == null || !Arrays.equals(p[4].shape, new long[] {c})
                || p[5] == null || !Arrays.equals(p[5].shape, new long[] {c})) {
            return "start or end";
        }
        if (needsTags && c == 0) {
            return "no tags (C == 0)";
        }
        if (tagsUsed) {
            Arr tags = p[1];
            if (tags == null || !INDEX_TYPES.contains(tags.type)
                    || !Arrays.equals(tags.shape, new long[] {b, t})) {
                return "tags null, dtype or shape";
            }
            for (int f = 0; f < tags.numel(); f++) {
                boolean real = p[2] == null || p[2].data[f] != 0;
                if (real && (tags.data[f] < 0 || tags.data[f] >= c)) {
                    return "a real step's tag out of range";
                }
            }
        }
        return null;
    }

    static HelperFuzz.Call crfCall(SplittableRandom rnd, String op) {
        boolean tagsUsed = op.equals("goldScore");
        Arr[] p = problem(rnd);
        boolean listForm = op.equals("viterbiDecode") && rnd.nextInt(4) == 0;
        String mutation = mutate(rnd, p, tagsUsed, 0.45);
        int listSize = 4;
        if (listForm && rnd.nextInt(10) == 0) {
            listSize = rnd.nextInt(4) == 0 ? -1 : 3; // -1: a null list
            mutation = "crfOutput of " + listSize + " arrays";
        }
        HelperFuzz.Call call = new HelperFuzz.Call(op, List.of("emissions", "tags", "mask",
                "transitions", "start", "end", "crfOutput"), p);
        call.mutation = mutation;
        call.extra = listForm ? " (crfOutput form)" : "";
        call.invalid = listSize != 4 ? "crfOutput" : invalid(p, tagsUsed, !op.equals("logPartition"));
        int size = listSize;
        call.invoker = (scope, a) -> {
            switch (op) {
                case "logPartition":
                    return CrfBlock.logPartition(a[0], a[2], a[3], a[4], a[5]);
                case "goldScore":
                    return CrfBlock.goldScore(a[0], a[1], a[2], a[3], a[4], a[5]);
                default:
                    if (!listForm) {
                        return CrfBlock.viterbiDecode(a[0], a[2], a[3], a[4], a[5]);
                    }
                    NDList out = size < 0 ? null : new NDList(a[0], a[3], a[4], a[5]);
                    if (size == 3) {
                        out.remove(3);
                    }
                    return CrfBlock.viterbiDecode(out, a[2]);
            }
        };
        call.judge = (scope, a, r) -> {
            Brute brute = new Brute(p);
            long[] batch = {brute.b};
            double tol = tol(p[0].type);
            switch (op) {
                case "logPartition":
                    return HelperFuzz.expect("result", r[0], batch, p[0].type, scope,
                            brute.logPartition(), tol);
                case "goldScore":
                    return HelperFuzz.expect("result", r[0], batch, p[0].type, scope,
                            brute.goldScore(p[1]), tol);
                default:
                    return judgeViterbi(brute, r, p[0].type, scope, tol);
            }
        };
        return call;
    }

    private static String judgeViterbi(Brute brute, NDArray[] r, DataType type,
            NDManager scope, double tol) {
        String failure = HelperFuzz.expect("paths", r[0], new long[] {brute.b, brute.t},
                DataType.INT64, scope, null, 0);
        if (failure == null) {
            failure = HelperFuzz.expect("scores", r[1], new long[] {brute.b}, type, scope,
                    brute.bestScore(), tol);
        }
        if (failure != null) {
            return failure;
        }
        long[] paths = r[0].toLongArray();
        double[] best = brute.bestScore();
        for (int s = 0; s < brute.b; s++) {
            int[] real = brute.realSteps(s);
            int[] path = new int[real.length];
            for (int k = 0, j = 0; k < brute.t; k++) {
                long tag = paths[s * brute.t + k];
                boolean isReal = j < real.length && real[j] == k;
                if (isReal) {
                    if (tag < 0 || tag >= brute.c) {
                        return "path " + s + " has tag " + tag + " at real step " + k;
                    }
                    path[j++] = (int) tag;
                } else if (tag != -1) {
                    return "path " + s + " has tag " + tag + " at padded step " + k;
                }
            }
            double score = brute.score(s, real, path);
            if (!HelperFuzz.close(score, best[s], tol)) {
                return "path " + s + " " + Arrays.toString(path) + " scores " + score
                        + ", the best path scores " + best[s];
            }
        }
        return null;
    }

    /** Brute force over all tag paths of each sequence's real steps. */
    static final class Brute {
        final int b;
        final int t;
        final int c;
        private final Arr e;
        private final Arr mask;
        private final double[] trans;
        private final double[] start;
        private final double[] end;

        Brute(Arr[] p) {
            e = p[0];
            mask = p[2];
            b = (int) e.size(0);
            t = (int) e.size(1);
            c = (int) e.size(2);
            trans = p[3].data;
            start = p[4].data;
            end = p[5].data;
        }

        int[] realSteps(int s) {
            return java.util.stream.IntStream.range(0, t)
                    .filter(k -> mask == null || mask.data[s * t + k] != 0).toArray();
        }

        double score(int s, int[] real, int[] path) {
            if (real.length == 0) {
                return 0;
            }
            double sum = start[path[0]] + end[path[path.length - 1]];
            for (int j = 0; j < real.length; j++) {
                sum += e.data[(s * t + real[j]) * c + path[j]];
                if (j > 0) {
                    sum += trans[path[j - 1] * c + path[j]];
                }
            }
            return sum;
        }

        /** {logsumexp, max} of all path scores of sequence s; {0, 0} with no real step. */
        double[] all(int s) {
            int[] real = realSteps(s);
            if (real.length == 0) {
                return new double[] {0, 0};
            }
            int count = (int) Math.pow(c, real.length);
            double[] scores = new double[count];
            double max = Double.NEGATIVE_INFINITY;
            int[] path = new int[real.length];
            for (int q = 0; q < count; q++) {
                for (int j = 0, v = q; j < real.length; j++, v /= c) {
                    path[j] = v % c;
                }
                scores[q] = score(s, real, path);
                max = Math.max(max, scores[q]);
            }
            double sum = 0;
            for (double v : scores) {
                sum += Math.exp(v - max);
            }
            return new double[] {max + Math.log(sum), max};
        }

        double[] logPartition() {
            double[] out = new double[b];
            for (int s = 0; s < b; s++) {
                out[s] = all(s)[0];
            }
            return out;
        }

        double[] bestScore() {
            double[] out = new double[b];
            for (int s = 0; s < b; s++) {
                out[s] = all(s)[1];
            }
            return out;
        }

        double[] goldScore(Arr tags) {
            double[] out = new double[b];
            for (int s = 0; s < b; s++) {
                int[] real = realSteps(s);
                int[] path = new int[real.length];
                for (int j = 0; j < real.length; j++) {
                    path[j] = (int) tags.data[s * t + real[j]];
                }
                out[s] = score(s, real, path);
            }
            return out;
        }
    }
}
