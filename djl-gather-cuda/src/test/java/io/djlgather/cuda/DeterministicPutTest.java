package io.djlgather.cuda;

import static io.djlgather.cuda.Fixtures.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.djlgather.ext.GatherOps;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * put with accumulation in deterministic mode (the op library's put_det, through the runtime
 * installed for CPU arrays): bit-identical over runs and thread counts, equal to the plain path
 * and a naive loop, with the plain path's gradients.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class DeterministicPutTest {

    private static final int N = 4096;
    private static final int WRITES = 20000;

    private static Fixtures.CpuRuntime cpu;

    @BeforeAll
    static void install() {
        Engine.getInstance();
        cpu = new Fixtures.CpuRuntime();
    }

    @AfterAll
    static void uninstall() {
        cpu.close();
    }

    private final float[] input = Fixtures.randomFloats(11, N);
    private final float[] src = Fixtures.randomFloats(12, WRITES);
    private final long[] index = negativesToo(Fixtures.hotIndices(13, WRITES, N));

    private static long[] negativesToo(long[] index) {
        for (int i = 0; i < index.length; i += 3) {
            index[i] -= N; // counts from the end: the same position
        }
        return index;
    }

    private float[] run(boolean deterministic) {
        try (CudaPolicies.Scope det = CudaPolicies.deterministic(deterministic);
                NDManager m = NDManager.newBaseManager()) {
            return GatherOps.put(m.create(input, new Shape(64, N / 64)), m.create(index),
                    m.create(src), true).toFloatArray();
        }
    }

    @Test
    void bitIdenticalAcrossRunsAndThreadsAndEqualToThePlainPath() {
        int threads = JniUtils.getNumThreads();
        try {
            JniUtils.setNumThreads(2);
            float[] first = run(true);
            for (int r = 0; r < 10; r++) {
                assertBitIdentical(first, run(true), "run " + r);
            }
            JniUtils.setNumThreads(1);
            assertBitIdentical(first, run(true), "1 vs 2 threads");
        } finally {
            JniUtils.setNumThreads(threads);
        }
        double[] naive = new double[N];
        for (int i = 0; i < N; i++) {
            naive[i] = input[i];
        }
        for (int i = 0; i < WRITES; i++) {
            naive[(int) (index[i] < 0 ? index[i] + N : index[i])] += src[i];
        }
        float[] det = run(true);
        float[] plain = run(false);
        for (int i = 0; i < N; i++) {
            double tol = 1e-3 + 1e-5 * Math.abs(naive[i]);
            assertEquals(naive[i], det[i], tol, "det at " + i);
            assertEquals(naive[i], plain[i], tol, "plain at " + i);
        }
    }

    @Test
    void gradientsEqualThePlainPath() {
        assertArrayEquals(gradients(false), gradients(true), 1e-12);
    }

    /** d/d(input) and d/d(src) of sum(out * w), concatenated. */
    private double[] gradients(boolean deterministic) {
        try (CudaPolicies.Scope det = CudaPolicies.deterministic(deterministic);
                NDManager m = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = m.create(Fixtures.randomDoubles(21, 12), new Shape(3, 4));
            NDArray s = m.create(Fixtures.randomDoubles(22, 7));
            x.setRequiresGradient(true);
            s.setRequiresGradient(true);
            NDArray idx = m.create(new long[] {0, 5, 5, -1, 11, 3, -12});
            NDArray w = m.create(Fixtures.randomDoubles(23, 12), new Shape(3, 4));
            collector.backward(GatherOps.put(x, idx, s, true).mul(w).sum());
            double[] gx = x.getGradient().toDoubleArray();
            double[] gs = s.getGradient().toDoubleArray();
            double[] all = new double[gx.length + gs.length];
            System.arraycopy(gx, 0, all, 0, gx.length);
            System.arraycopy(gs, 0, all, gx.length, gs.length);
            return all;
        }
    }
}
