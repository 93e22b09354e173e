package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * put with accumulation sums duplicates in a fixed order on CPU: bit-identical from run to run
 * and across 1 and 2 intra-op threads on an input large enough (2^16 elements) for PyTorch's own
 * put_ to add with atomics, and equal to a naive double-precision loop.
 */
class PutAccumulateTest {

    private static final int N = 1 << 16;
    private static final int WRITES = 1 << 17;

    @Test
    void sumsAreBitIdenticalAcrossRunsAndThreadCounts() {
        Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        Random random = new Random(7);
        float[] input = new float[N];
        float[] src = new float[WRITES];
        long[] index = new long[WRITES];
        for (int i = 0; i < N; i++) {
            input[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < WRITES; i++) {
            // mixed magnitudes make a float sum depend on its order; 64 hot positions
            src[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
            index[i] = random.nextInt(64) * 97L - (random.nextBoolean() ? N : 0);
        }
        try {
            JniUtils.setNumThreads(2);
            float[] first = run(input, index, src);
            for (int r = 0; r < 5; r++) {
                assertArrayEquals(first, run(input, index, src), "run " + r);
            }
            JniUtils.setNumThreads(1);
            assertArrayEquals(first, run(input, index, src), "1 vs 2 threads");

            double[] naive = new double[N];
            for (int i = 0; i < N; i++) {
                naive[i] = input[i];
            }
            for (int i = 0; i < WRITES; i++) {
                naive[(int) (index[i] < 0 ? index[i] + N : index[i])] += src[i];
            }
            for (int i = 0; i < N; i++) {
                assertEquals(naive[i], first[i], 1e-3 + 1e-5 * Math.abs(naive[i]), "at " + i);
            }
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    private static float[] run(float[] input, long[] index, float[] src) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray out = GatherOps.put(manager.create(input, new Shape(256, N / 256)),
                    manager.create(index), manager.create(src), true);
            return out.toFloatArray();
        }
    }
}
