package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.internal.OpLibrary;

import org.junit.jupiter.api.Test;

/**
 * {@link OpLibrary#runTuple} when the results cannot become arrays: asked to attach them to a
 * manager that is already closed, the call fails with DJL's IllegalStateException, and it must
 * free every item of the tuple on the way out (the tensor it had already taken out of the
 * first item, and the items it had not reached). Each call's first item here is 4 MB, so a leak
 * would grow resident memory by 64 MB per block of 16 calls (measured with the code before the
 * fix: +64.05 MB per block); the slope ({@link ResidentMemory}) must stay under {@value
 * #MAX_BLOCK_GROWTH_MB} MB per block (measured after it: +0.06 to +0.15 over 5 runs; the
 * allocator steps by the 4 MB of one result now and then, which the limit leaves room for).
 */
class RunTupleFailureTest {

    private static final int BLOCKS = 8;
    private static final int CALLS_PER_BLOCK = 16;
    private static final int MAX_BLOCK_GROWTH_MB = 16;

    @Test
    void aFailedConversionFreesEveryItem() throws Exception {
        OpLibrary library = OpLibrary.forDevice(Device.cpu());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            // pixel_gather returns (values [1, 16384, 64] float32: 4 MB, first_bad [1])
            NDArray features = manager.randomUniform(0, 1, new Shape(1, 64, 64, 64));
            NDArray coords = manager.randomInteger(0, 64, new Shape(1, 16_384, 2),
                    DataType.INT64);
            NDManager closed = manager.newSubManager();
            closed.close();
            int arrays = manager.getManagedArrays().size();
            for (int i = 0; i < 2 * CALLS_PER_BLOCK; i++) {
                call(library, closed, features, coords);
            }
            ResidentMemory rss = new ResidentMemory(BLOCKS);
            while (rss.remaining() > 0) {
                for (int i = 0; i < CALLS_PER_BLOCK; i++) {
                    call(library, closed, features, coords);
                }
                rss.checkpoint();
            }
            double slope = rss.medianBlockGrowthMb();
            System.out.printf("reliability: runTuple into a closed manager calls=%d (each"
                            + " IllegalStateException) checkpoints: %s MB; slope %+.2fMB per block"
                            + " of %d calls (a leak: +64MB; limit %dMB)%n",
                    BLOCKS * CALLS_PER_BLOCK, rss.checkpointsMb(), slope, CALLS_PER_BLOCK,
                    MAX_BLOCK_GROWTH_MB);
            assertEquals(arrays, manager.getManagedArrays().size(), "arrays left in the manager");
            assertTrue(slope < MAX_BLOCK_GROWTH_MB, "VmRSS grew by a median " + slope
                    + " MB per block; checkpoints " + rss.checkpointsMb() + " MB");
        }
    }

    private static void call(OpLibrary library, NDManager closed, NDArray features,
            NDArray coords) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> library.runTuple("pixel_gather", closed, features, coords, 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
