package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.internal.OpLibrary;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link GatherOps#releaseOpLibraries()} while other threads run ops on the op library: 4
 * threads call {@code scatterAdd} (a method of the library) in a loop and check every result
 * against a plain-Java sum, while another thread releases the libraries {@value #RELEASES}
 * times, each time after the callers have made progress on the library loaded since the last
 * release. Every result must be right and no call may fail; the process must not crash (a call
 * on a freed module would read freed native memory).
 *
 * <p>No timing is asserted: the releases interleave with the calls however the scheduler runs
 * them, and the counts are bounded (each release waits for progress, the callers stop after the
 * last release and a minimum of calls).
 */
class ReleaseWhileRunningTest {

    private static final int CALLERS = 4;
    private static final int RELEASES = 30;
    private static final int MIN_CALLS = 300;
    private static final int CASES = 16;

    @Test
    void releasingWhileOpsRunGivesNoWrongResultAndNoFailure() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20_250_611L);
        int rows = 3;
        int cols = 5;
        int width = 7;
        float[][] inputs = new float[CASES][];
        long[][] indices = new long[CASES][];
        float[][] srcs = new float[CASES][];
        float[][] expected = new float[CASES][];
        for (int c = 0; c < CASES; c++) {
            inputs[c] = new float[rows * cols];
            indices[c] = new long[rows * width];
            srcs[c] = new float[rows * width];
            for (int i = 0; i < inputs[c].length; i++) {
                inputs[c][i] = rnd.nextInt(-8, 9);
            }
            for (int i = 0; i < indices[c].length; i++) {
                indices[c][i] = rnd.nextInt(cols);
                srcs[c][i] = rnd.nextInt(-8, 9);
            }
            // out[r][index[r][j]] += src[r][j], along axis 1 (small integers: exact in float)
            expected[c] = inputs[c].clone();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    expected[c][r * cols + (int) indices[c][r * width + j]] +=
                            srcs[c][r * width + j];
                }
            }
        }

        OpLibrary first = OpLibrary.forDevice(Device.cpu());
        AtomicLong calls = new AtomicLong();
        AtomicBoolean released = new AtomicBoolean();
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> callers = new ArrayList<>();
        for (int t = 0; t < CALLERS; t++) {
            int thread = t;
            callers.add(pool.submit(() -> {
                go.await();
                long made = 0;
                try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                    for (int i = 0; !released.get() || i < MIN_CALLS; i++) {
                        int c = (i + thread * 5) % CASES;
                        try (NDManager scope = manager.newSubManager()) {
                            NDArray input = scope.create(inputs[c], new Shape(rows, cols));
                            NDArray index = scope.create(indices[c], new Shape(rows, width));
                            NDArray src = scope.create(srcs[c], new Shape(rows, width));
                            NDArray out = GatherOps.scatterAdd(input, 1, index, src);
                            assertArrayEquals(expected[c], out.toFloatArray(),
                                    "thread " + thread + " call " + i + " case " + c);
                        }
                        made++;
                        calls.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failed.set(true);
                    throw e;
                }
                return made;
            }));
        }
        Future<Integer> releaser = pool.submit(() -> {
            go.await();
            int done = 0;
            try {
                for (; done < RELEASES && !failed.get(); done++) {
                    // let the callers run on the library loaded since the last release
                    long mark = calls.get();
                    while (calls.get() < mark + 2 * CALLERS && !failed.get()) {
                        Thread.onSpinWait();
                    }
                    GatherOps.releaseOpLibraries();
                }
            } finally {
                released.set(true);
            }
            return done;
        });
        go.countDown();
        long total = 0;
        for (Future<Long> caller : callers) {
            total += caller.get(); // rethrows a caller's failure
        }
        int releases = releaser.get();
        pool.shutdown();
        System.out.printf("reliability: release-while-running callers=%d calls=%d releases=%d"
                + " wrong=0 exceptions=0%n", CALLERS, total, releases);
        assertEquals(RELEASES, releases);
        assertTrue(total >= CALLERS * MIN_CALLS);
        // a released library still serves a caller that kept it, through the current one
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = manager.zeros(new Shape(3));
            NDArray out = first.run("scatter_add", manager, input, 0,
                    manager.create(new long[] {2, 0, 2}), manager.create(new float[] {1, 2, 3}));
            assertArrayEquals(new float[] {2, 0, 4}, out.toFloatArray());
            assertNotSame(first, OpLibrary.forDevice(Device.cpu()));
        }
    }
}
