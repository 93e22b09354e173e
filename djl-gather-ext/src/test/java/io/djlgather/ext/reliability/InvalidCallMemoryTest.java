package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;

import org.junit.jupiter.api.Test;

/**
 * 100,000 op calls whose index is out of range, on CPU, where nothing checks the index before
 * the kernel: PyTorch's kernel detects it and throws, DJL's JNI turns that into an
 * EngineException, and the op turns that into an IllegalArgumentException naming the op. Every
 * call must throw it with the exact message; resident memory must not grow with the failures.
 *
 * <p>The calls cover both native paths: {@code scatterAdd} and {@code indexSelect}, in turn, run
 * a method of the op library (a C++ exception out of the TorchScript interpreter, ~0.4 ms a
 * failing call here); one call in {@value #GATHER_EVERY} is {@code gather}, DJL's own op (a C++
 * exception out of DJL's JNI, ~13 ms a failing call here, so it is kept rare to keep the test
 * short). Each call makes its arrays in a manager closed after it, so only what the failing
 * calls leave behind natively can accumulate. The first 50,000 calls are the warm-up; VmRSS is
 * read after it and after each of the 10 blocks of 5,000 calls that follow, and the growth over
 * the second 50,000 calls, as the slope ({@link ResidentMemory}: the median rise per block of
 * the readings' lower envelope) times 10, must stay under {@value #MAX_GROWTH_MB} MB. Calls:
 * {@code -Ddjlgather.reliability.invalidCalls}.
 *
 * <p>Measured: 10 runs of 100,000 calls grew by +0.00 to +1.74 MB over the second 50,000. Not
 * zero: one run of 400,000 calls grew steadily, +1.0 MB per 20,000 calls (+10.1 MB over the last
 * 200,000), about 50 bytes per failing call, where the same number of valid scatterAdd calls
 * stayed flat. So the failing path keeps a little native memory per call (in libtorch's
 * TorchScript error path or DJL's JNI around it; not located yet). The limit fails anything
 * from about 170 bytes per call up.
 */
class InvalidCallMemoryTest {

    static final int BLOCKS = 20;
    static final int MAX_GROWTH_MB = 8;
    static final int GATHER_EVERY = 200;

    private static final long[] SEVENS = {7, 7, 7, 7, 7, 7};

    @Test
    void outOfRangeIndicesThrowIllegalArgumentWithoutGrowingResidentMemory() throws Exception {
        int calls = Integer.getInteger("djlgather.reliability.invalidCalls", 100_000);
        int block = Math.max(1, calls / BLOCKS);
        // the expected messages, from the shapes: input [3, 5], every index value 7
        String scatterAdd = "scatterAdd: index is out of range along axis 1; expected values in"
                + " [0, 5), got 7 (index values span [7, 7])";
        String indexSelect = "indexSelect: index is out of range along axis 1; expected values in"
                + " [0, 5), got 7 (index values span [7, 7])";
        String gather = "gather: index is out of range along axis 1; expected values in"
                + " [0, 5), got 7 (index values span [7, 7])";
        long thrown = 0;
        long start = System.nanoTime();
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            ResidentMemory rss = null;
            for (int k = 0; k < BLOCKS; k++) {
                if (k == BLOCKS / 2) {
                    rss = new ResidentMemory(BLOCKS / 2);
                }
                for (int i = 0; i < block; i++) {
                    try (NDManager scope = base.newSubManager()) {
                        NDArray input = scope.zeros(new Shape(3, 5));
                        IllegalArgumentException e;
                        String expected;
                        int op = i % GATHER_EVERY == GATHER_EVERY - 1 ? 2 : i % 2;
                        switch (op) {
                            case 0: {
                                NDArray index = scope.create(SEVENS, new Shape(3, 2));
                                NDArray src = scope.ones(new Shape(3, 2));
                                e = assertThrows(IllegalArgumentException.class,
                                        () -> GatherOps.scatterAdd(input, 1, index, src));
                                expected = scatterAdd;
                                break;
                            }
                            case 1: {
                                NDArray index = scope.create(new long[] {7, 7});
                                e = assertThrows(IllegalArgumentException.class,
                                        () -> GatherOps.indexSelect(input, 1, index));
                                expected = indexSelect;
                                break;
                            }
                            default: {
                                NDArray index = scope.create(SEVENS, new Shape(3, 2));
                                e = assertThrows(IllegalArgumentException.class,
                                        () -> GatherOps.gather(input, 1, index));
                                expected = gather;
                                break;
                            }
                        }
                        assertEquals(expected, e.getMessage());
                        thrown++;
                    }
                }
                if (rss != null) {
                    rss.checkpoint();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double growth = rss.medianBlockGrowthMb() * (BLOCKS / 2);
            System.out.printf("reliability: invalid calls=%d (scatterAdd, indexSelect, and gather"
                            + " every %dth, with index 7 on an axis of 5; %d IllegalArgumentException;"
                            + " %.0f us/call) checkpoints"
                            + " over the second half: %s MB after %.1fMB; growth over the last %d"
                            + " calls %+.2fMB (slope per block x %d; limit %dMB)%n",
                    calls, GATHER_EVERY, thrown, seconds * 1e6 / thrown, rss.checkpointsMb(),
                    rss.startMb(), block * (BLOCKS / 2),
                    growth, BLOCKS / 2, MAX_GROWTH_MB);
            assertEquals((long) block * BLOCKS, thrown);
            assertTrue(base.getManagedArrays().isEmpty(), "arrays left in the base manager");
            assertTrue(growth < MAX_GROWTH_MB, "VmRSS grew by " + growth + " MB over the last "
                    + block * (BLOCKS / 2) + " calls; checkpoints " + rss.checkpointsMb() + " MB");
        }
    }
}
