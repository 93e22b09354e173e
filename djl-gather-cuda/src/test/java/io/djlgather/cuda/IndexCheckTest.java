package io.djlgather.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.Reduction;
import io.djlgather.ext.spi.GatherRuntimes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.BiFunction;

/**
 * CHECKED and TRUSTED on CPU arrays, through the CUDA runtime installed for the CPU: CHECKED
 * throws before the kernel (no cause, one check counted); TRUSTED skips the check (none
 * counted) and the CPU kernel's own failure still ends as the same IllegalArgumentException.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class IndexCheckTest {

    /** An op reading a bad index (value 7 or -1 where [0, 4) is valid), and its message. */
    enum BadIndex {
        GATHER("gather: index is out of range along axis 1; expected values in [0, 4), got 7"
                + " (index values span [0, 7])",
                (m, in) -> GatherOps.gather(in, 1, m.create(new long[] {0, 7, 1, 2}, new Shape(2, 2)))),
        SCATTER_ADD("scatterAdd: index is out of range along axis 1; expected values in [0, 4),"
                + " got -1 (index values span [-1, 3])",
                (m, in) -> GatherOps.scatterAdd(in, 1, m.create(new long[] {-1, 3}, new Shape(1, 2)),
                        m.ones(new Shape(1, 2)))),
        SCATTER_REDUCE("scatterReduce: index is out of range along axis 0; expected values in"
                + " [0, 2), got 7 (index values span [0, 7])",
                (m, in) -> GatherOps.scatterReduce(in, 0, m.create(new long[] {0, 7}, new Shape(2, 1)),
                        m.ones(new Shape(2, 1)), Reduction.MEAN, true)),
        INDEX_SELECT("indexSelect: index is out of range along axis 1; expected values in [0, 4),"
                + " got 4 (index values span [0, 4])",
                (m, in) -> GatherOps.indexSelect(in, 1, m.create(new int[] {0, 4}))),
        INDEX_ADD("indexAdd: index is out of range along axis 0; expected values in [0, 2), got 2"
                + " (index values span [2, 2])",
                (m, in) -> GatherOps.indexAdd(in, 0, m.create(new long[] {2}), m.ones(new Shape(1, 4)))),
        TAKE("take: index is out of range into the flattened input; expected values in [-8, 8),"
                + " got 8 (index values span [0, 8])",
                (m, in) -> GatherOps.take(in, m.create(new long[] {0, 8})));

        final String message;
        final BiFunction<NDManager, NDArray, NDArray> op;

        BadIndex(String message, BiFunction<NDManager, NDArray, NDArray> op) {
            this.message = message;
            this.op = op;
        }
    }

    private static NDArray input(NDManager m) {
        return m.arange(8f).reshape(2, 4);
    }

    @ParameterizedTest
    @EnumSource(BadIndex.class)
    void checkedThrowsBeforeTheKernel(BadIndex bad) throws Exception {
        try (Fixtures.CpuRuntime cpu = new Fixtures.CpuRuntime();
                NDManager m = NDManager.newBaseManager(Device.cpu());
                CudaPolicies.Scope checked = CudaPolicies.indexCheck(IndexCheck.CHECKED)) {
            NDArray input = input(m);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> bad.op.apply(m, input));
            assertEquals(bad.message, e.getMessage());
            assertNull(e.getCause(), "thrown by the check, not translated from the kernel");
            assertEquals(1, cpu.runtime.checksRun());
            assertEquals(0, cpu.runtime.checksSkipped());
            // the next op works
            assertArrayEquals(new float[] {1, 5},
                    GatherOps.gather(input, 1, m.create(new long[] {1, 1}, new Shape(2, 1)))
                            .toFloatArray());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, input.toFloatArray());
        }
    }

    @ParameterizedTest
    @EnumSource(BadIndex.class)
    void trustedSkipsTheCheckAndTheKernelErrorIsTranslated(BadIndex bad) throws Exception {
        try (Fixtures.CpuRuntime cpu = new Fixtures.CpuRuntime();
                NDManager m = NDManager.newBaseManager(Device.cpu());
                CudaPolicies.Scope trusted = CudaPolicies.indexCheck(IndexCheck.TRUSTED)) {
            NDArray input = input(m);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> bad.op.apply(m, input));
            assertEquals(bad.message, e.getMessage());
            assertInstanceOf(EngineException.class, e.getCause(), "translated from the CPU kernel");
            assertEquals(0, cpu.runtime.checksRun(), "TRUSTED makes no bounds call");
            assertEquals(1, cpu.runtime.checksSkipped());
        }
    }

    @Test
    void checkedRunsOneCheckPerOpAndTrustedNone() throws Exception {
        try (Fixtures.CpuRuntime cpu = new Fixtures.CpuRuntime();
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = input(m);
            NDArray index = m.create(new long[] {3, 0, 2, 2}, new Shape(2, 2));
            float[] expected = {3, 0, 6, 6};
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(expected, GatherOps.gather(input, 1, index).toFloatArray());
            }
            assertEquals(3, cpu.runtime.checksRun(), "CHECKED is the default");
            try (CudaPolicies.Scope trusted = CudaPolicies.indexCheck(IndexCheck.TRUSTED)) {
                for (int i = 0; i < 2; i++) {
                    assertArrayEquals(expected, GatherOps.gather(input, 1, index).toFloatArray());
                }
            }
            assertEquals(3, cpu.runtime.checksRun());
            assertEquals(2, cpu.runtime.checksSkipped());
        }
    }

    @Test
    void globalTrustedAppliesUntilReset() throws Exception {
        try (Fixtures.CpuRuntime cpu = new Fixtures.CpuRuntime();
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = input(m);
            NDArray index = m.create(new long[] {1});
            try {
                CudaPolicies.setIndexCheck(IndexCheck.TRUSTED);
                GatherOps.indexSelect(input, 0, index);
                assertEquals(0, cpu.runtime.checksRun());
                try (CudaPolicies.Scope checked = CudaPolicies.indexCheck(IndexCheck.CHECKED)) {
                    GatherOps.indexSelect(input, 0, index);
                }
                assertEquals(1, cpu.runtime.checksRun());
            } finally {
                CudaPolicies.setIndexCheck(IndexCheck.CHECKED);
            }
            GatherOps.indexSelect(input, 0, index);
            assertEquals(2, cpu.runtime.checksRun());
        }
    }

    @Test
    void withoutTheInstalledRuntimeCpuOpsDoNotReachTheCudaRuntime() {
        CudaGatherRuntime loaded = (CudaGatherRuntime) GatherRuntimes.providers().stream()
                .filter(r -> r instanceof CudaGatherRuntime)
                .findFirst()
                .orElseThrow();
        long run = loaded.checksRun();
        long skipped = loaded.checksSkipped();
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                CudaPolicies.Scope det = CudaPolicies.deterministic(true)) {
            NDArray input = input(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BadIndex.GATHER.op.apply(m, input));
            assertEquals(BadIndex.GATHER.message, e.getMessage());
            assertInstanceOf(EngineException.class, e.getCause(), "CPU: PyTorch's own check");
            GatherOps.scatterAdd(input, 1, m.zeros(new Shape(2, 4), ai.djl.ndarray.types.DataType.INT64),
                    input);
        }
        assertEquals(run, loaded.checksRun());
        assertEquals(skipped, loaded.checksSkipped());
        assertTrue(!(GatherRuntimes.forDevice(Device.cpu()) instanceof CudaGatherRuntime));
    }
}
