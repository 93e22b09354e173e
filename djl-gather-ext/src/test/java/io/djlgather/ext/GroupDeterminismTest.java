package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Determinism on CPU: float32 sums, means and products over large inputs with mixed magnitudes
 * (where the order of the additions shows in the bits), by the segment ops and by scatter, and the
 * group softmax and logsumexp, are bit-identical over 20 runs (the scatter family: 4) and with 1 and 2 intra-op threads;
 * sums and means equal a naive double-precision sum within float32's error bound.
 */
class GroupDeterminismTest {

    private static final int ROWS = 1 << 16;
    private static final int FEATURES = 8;
    private static final int SEGMENTS = 300;

    @Test
    void segmentOpsAreBitIdenticalAcrossRunsAndThreadCounts() {
        Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        Random random = new Random(11);
        float[] values = new float[ROWS * FEATURES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        // sorted group ids with uneven runs, the groups whose id is a multiple of 7 empty;
        // indptr from the same runs
        long[] ids = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            int id = random.nextInt(SEGMENTS);
            ids[i] = id % 7 == 0 ? id + 1 : id;
        }
        Arrays.sort(ids);
        long[] indptr = new long[SEGMENTS + 1];
        for (long id : ids) {
            indptr[(int) id + 1]++;
        }
        for (int s = 0; s < SEGMENTS; s++) {
            indptr[s + 1] += indptr[s];
        }
        for (Reduction reduce : new Reduction[] {Reduction.SUM, Reduction.MEAN, Reduction.PROD}) {
            check("segmentCsr " + reduce, values, ids, reduce,
                    m -> GroupOps.segmentCsr(m.create(values, new Shape(ROWS, FEATURES)),
                            m.create(indptr), reduce), threads);
            check("segmentCoo " + reduce, values, ids, reduce,
                    m -> GroupOps.segmentCoo(m.create(values, new Shape(ROWS, FEATURES)),
                            m.create(ids), SEGMENTS, reduce), threads);
        }
        // the scatter family on a quarter of the rows (still far above PyTorch's grain size for
        // splitting work between threads), with the ids in a random order
        int rows = ROWS / 4;
        float[] few = Arrays.copyOf(values, rows * FEATURES);
        long[] shuffled = Arrays.copyOf(ids, rows);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        for (Reduction reduce : new Reduction[] {Reduction.SUM, Reduction.MEAN, Reduction.PROD}) {
            check("scatter " + reduce, few, shuffled, reduce,
                    m -> GroupOps.scatter(m.create(few, new Shape(rows, FEATURES)),
                            m.create(shuffled), 0, SEGMENTS, reduce), threads);
        }
        check("scatterSoftmax", few, shuffled, null,
                m -> GroupOps.scatterSoftmax(m.create(few, new Shape(rows, FEATURES)),
                        m.create(shuffled), 0), threads);
        check("scatterLogSumExp", few, shuffled, null,
                m -> GroupOps.scatterLogSumExp(m.create(few, new Shape(rows, FEATURES)),
                        m.create(shuffled), 0, SEGMENTS), threads);
    }

    private static void check(String name, float[] values, long[] ids, Reduction reduce,
            Function<NDManager, NDArray> op, int threads) {
        // the segment ops 20 runs (their contract); the scatter family 4, to keep the test short
        int runs = name.startsWith("segment") ? 20 : 4;
        try {
            JniUtils.setNumThreads(2);
            byte[] first = run(op);
            for (int r = 1; r < runs; r++) {
                assertArrayEquals(first, run(op), name + ": run " + r);
            }
            JniUtils.setNumThreads(1);
            assertArrayEquals(first, run(op), name + ": 1 vs 2 threads");
        } finally {
            JniUtils.setNumThreads(threads);
        }
        if (reduce == null || reduce == Reduction.PROD) {
            return; // products of thousands of factors under/overflow; softmax: bits only here
        }
        double[] sums = new double[SEGMENTS * FEATURES];
        double[] magnitudes = new double[SEGMENTS * FEATURES];
        int[] counts = new int[SEGMENTS];
        for (int i = 0; i < ids.length; i++) {
            counts[(int) ids[i]]++;
            for (int f = 0; f < FEATURES; f++) {
                sums[(int) ids[i] * FEATURES + f] += values[i * FEATURES + f];
                magnitudes[(int) ids[i] * FEATURES + f] += Math.abs(values[i * FEATURES + f]);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] got = op.apply(m).toFloatArray();
            for (int g = 0; g < SEGMENTS; g++) {
                for (int f = 0; f < FEATURES; f++) {
                    double expected = sums[g * FEATURES + f];
                    // float32 summation's error bound: n * 2^-24 * sum |v|
                    double bound = counts[g] * 0x1p-24 * magnitudes[g * FEATURES + f];
                    if (reduce == Reduction.MEAN) {
                        expected = counts[g] == 0 ? 0 : expected / counts[g];
                        bound = counts[g] == 0 ? 0 : bound / counts[g];
                    }
                    assertEquals(expected, got[g * FEATURES + f], 1e-6 + bound,
                            name + " at group " + g + " feature " + f);
                }
            }
        }
    }

    private static byte[] run(Function<NDManager, NDArray> op) {
        try (NDManager m = NDManager.newBaseManager()) {
            return op.apply(m).toByteArray();
        }
    }
}
