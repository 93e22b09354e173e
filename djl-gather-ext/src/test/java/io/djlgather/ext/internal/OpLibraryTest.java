package io.djlgather.ext.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class OpLibraryTest {

    @Test
    void archiveLoadsAndRunsAMethod() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = manager.zeros(new Shape(2, 3));
            NDArray index = manager.create(new long[] {0, 2, 2, 1, 1, 1}, new Shape(2, 3));
            NDArray src = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray out = OpLibrary.forDevice(Device.cpu())
                    .run("scatter_add", manager, input, 1, index, src);
            // row 0: position 0 gets 1, position 2 gets 2 + 3; row 1: position 1 gets 4 + 5 + 6
            assertArrayEquals(new float[] {1, 0, 5, 0, 15, 0}, out.toFloatArray());
            assertSame(manager, out.getManager());
        }
    }

    @Test
    void methodsRecordGradientsInsideACollector() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray input = manager.zeros(new Shape(3));
            NDArray src = manager.create(new double[] {1, 2, 3, 4});
            src.setRequiresGradient(true);
            NDArray index = manager.create(new long[] {0, 2, 2, 1});
            NDArray weights = manager.create(new double[] {10, 20, 30});
            NDArray out = OpLibrary.forDevice(Device.cpu())
                    .run("scatter_add", manager, input.toType(src.getDataType(), false), 0, index, src);
            collector.backward(out.mul(weights).sum());
            // d/dsrc[j] = weights[index[j]]
            assertArrayEquals(new double[] {10, 30, 30, 20}, src.getGradient().toDoubleArray());
        }
    }

    @Test
    void oneLibraryPerDeviceUnderConcurrentFirstUse() throws Exception {
        OpLibrary.release(Device.cpu());
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<OpLibrary>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return OpLibrary.forDevice(Device.cpu());
            }));
        }
        start.countDown();
        OpLibrary first = results.get(0).get();
        for (Future<OpLibrary> result : results) {
            assertSame(first, result.get());
        }
        pool.shutdown();
        assertTrue(OpLibrary.isLoaded(Device.cpu()));
    }

    @Test
    void sourceHoldsEveryCoreMethod() {
        String source = OpLibrary.source();
        for (String method : new String[] {"gather", "scatter_add", "scatter_reduce",
                "index_select", "index_add", "index_copy", "index_fill_f", "index_reduce",
                "take_along_dim", "take", "put", "index_bounds"}) {
            assertTrue(source.contains("def " + method + "(self"), method);
        }
        assertEquals(-1, source.indexOf('\t'), "TorchScript source must indent with spaces");
    }
}
