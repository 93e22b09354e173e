package io.djlgather.cuda;

import static io.djlgather.cuda.Fixtures.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.spi.OpLibraryMethods;
import io.djlgather.ext.spi.GatherRuntimes;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On real CUDA devices (skipped where DJL sees no GPU, as in CI): CHECKED keeps the context
 * usable after a bad index, deterministic sums are bit-identical, ops and uploads follow the
 * input's device. Needs pytorch-native-cu* instead of pytorch-native-cpu on the test classpath.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
@Tag("gpu")
class CudaDeviceTest {

    @BeforeEach
    void needsAGpu() {
        assumeTrue(Engine.getInstance().getGpuCount() > 0, "no GPU visible to DJL");
    }

    @Test
    void aBadIndexIsAnIllegalArgumentAndTheContextStaysUsable() {
        Device gpu = Device.gpu();
        assertInstanceOf(CudaGatherRuntime.class, GatherRuntimes.forDevice(gpu));
        try (NDManager m = NDManager.newBaseManager(gpu)) {
            NDArray input = m.arange(8f).reshape(2, 4);
            NDArray bad = m.create(new long[] {0, 7, 1, 2}, new Shape(2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.gather(input, 1, bad));
            assertEquals("gather: index is out of range along axis 1; expected values in [0, 4),"
                    + " got 7 (index values span [0, 7])", e.getMessage());
            assertNull(e.getCause());
            NDArray good = m.create(new long[] {3, 0, 2, 2}, new Shape(2, 2));
            assertArrayEquals(new float[] {3, 0, 6, 6},
                    GatherOps.gather(input, 1, good).toFloatArray());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7},
                    GatherOps.scatterAdd(input, 1, good.mul(0), input.mul(0)).toFloatArray());
        }
    }

    @Test
    void deterministicSumsAreBitIdenticalOnCuda() {
        Device gpu = Device.gpu();
        float[] src = Fixtures.randomFloats(2, 1 << 20);
        long[] index = Fixtures.hotIndices(3, 1 << 20, 8);
        float[] first = null;
        try (CudaPolicies.Scope det = CudaPolicies.deterministic(true)) {
            for (int run = 0; run < 20; run++) {
                try (NDManager m = NDManager.newBaseManager(gpu)) {
                    NDArray out = GatherOps.scatterAdd(m.zeros(new Shape(8)), 0,
                            m.create(index), m.create(src));
                    float[] values = out.toFloatArray();
                    if (first == null) {
                        first = values;
                    } else {
                        assertBitIdentical(first, values, "run " + run);
                    }
                }
            }
        }
    }

    @Test
    void opsAndUploadsFollowTheInputsDevice() {
        int gpus = Engine.getInstance().getGpuCount();
        for (int n = 0; n < gpus; n++) {
            Device gpu = Device.gpu(n);
            try (NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
                NDArray index = IndexUpload.toDevice(cpu, new int[] {2, 0}, new Shape(2), gpu);
                assertEquals(gpu, index.getDevice());
                NDArray input = cpu.arange(3f).toDevice(gpu, false);
                NDArray out = GatherOps.indexSelect(input, 0, index);
                assertEquals(gpu, out.getDevice());
                assertArrayEquals(new float[] {2, 0}, out.toFloatArray());
                assertTrue(OpLibraryMethods.isLoaded(gpu));
            }
        }
    }
}
