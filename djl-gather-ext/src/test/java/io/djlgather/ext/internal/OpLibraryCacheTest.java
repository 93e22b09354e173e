package io.djlgather.ext.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.spi.GatherRuntime;
import io.djlgather.ext.spi.GatherRuntimes;
import io.djlgather.ext.spi.IndexRead;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The op library as a device runtime uses it (moved here from djl-gather-cuda, whose CUDA runtime
 * this test's runtime stands in for): one per device, loaded on first use (once, under concurrent
 * first use through the ops, with deterministic and plain sums mixed), freed on release, loaded
 * again after.
 */
class OpLibraryCacheTest {

    /** Like djl-gather-cuda's runtime on CPU: checks every index, sums per-thread policy. */
    private static final class CpuRuntime implements GatherRuntime, AutoCloseable {
        private final ThreadLocal<Boolean> deterministic = ThreadLocal.withInitial(() -> false);
        private final GatherRuntimes.Installation installed = GatherRuntimes.install(this);

        @Override
        public boolean supports(Device device) {
            return Device.cpu().equals(device);
        }

        @Override
        public void beforeIndexRead(IndexRead read) {
            read.check();
        }

        @Override
        public boolean deterministicSums(Device device) {
            return deterministic.get();
        }

        @Override
        public void close() {
            installed.close();
        }
    }

    @Test
    void concurrentFirstUseThroughTheOpsLoadsOneLibrary() throws Exception {
        OpLibrary.release(Device.cpu());
        assertFalse(OpLibrary.isLoaded(Device.cpu()));
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<float[]>> results = new ArrayList<>();
        try (CpuRuntime cpu = new CpuRuntime()) {
            for (int t = 0; t < threads; t++) {
                boolean det = t % 2 == 0;
                results.add(pool.submit(() -> {
                    cpu.deterministic.set(det);
                    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                        NDArray input = m.zeros(new Shape(3));
                        NDArray index = m.create(new long[] {0, 2, 2, 1});
                        NDArray src = m.create(new float[] {1, 2, 3, 4});
                        start.await();
                        return GatherOps.scatterAdd(input, 0, index, src).toFloatArray();
                    }
                }));
            }
            start.countDown();
            for (Future<float[]> result : results) {
                assertArrayEquals(new float[] {1, 4, 5}, result.get());
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(OpLibrary.isLoaded(Device.cpu()));
        // every thread got the one library; asking again from many threads changes nothing
        Set<OpLibrary> seen = new HashSet<>();
        ExecutorService again = Executors.newFixedThreadPool(threads);
        List<Future<OpLibrary>> libraries = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            libraries.add(again.submit(() -> OpLibrary.forDevice(Device.cpu())));
        }
        for (Future<OpLibrary> library : libraries) {
            seen.add(library.get());
        }
        again.shutdown();
        assertTrue(seen.size() == 1, "one library per device, got " + seen.size());
    }

    @Test
    void releaseFreesTheLibraryAndTheNextOpLoadsItAgain() {
        OpLibrary before = OpLibrary.forDevice(Device.cpu());
        OpLibrary.release(Device.cpu());
        assertFalse(OpLibrary.isLoaded(Device.cpu()));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray out = GatherOps.indexSelect(m.arange(4f), 0, m.create(new long[] {3, 0}));
            assertArrayEquals(new float[] {3, 0}, out.toFloatArray());
        }
        OpLibrary after = OpLibrary.forDevice(Device.cpu());
        assertNotSame(before, after);
        assertSame(after, OpLibrary.forDevice(Device.cpu()));
        assertSame(Device.cpu(), after.getDevice());
    }
}
