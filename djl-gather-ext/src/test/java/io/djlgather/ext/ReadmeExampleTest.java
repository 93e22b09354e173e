package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/** The README's quickstart, run as written, with the values it states. */
class ReadmeExampleTest {

    @Test
    void quickstartPrintsWhatTheReadmeSays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray scores = manager.arange(24f).reshape(new Shape(2, 3, 4));
            NDArray labels = manager.create(new long[] {1, 0, 3, 2, 2, 0}, new Shape(2, 3, 1));
            NDArray gold = GatherOps.gather(scores, -1, labels);
            assertEquals(new Shape(2, 3, 1), gold.getShape());
            // scores[b][t][c] = 12b + 4t + c
            assertArrayEquals(new float[] {1, 4, 11, 14, 18, 20}, gold.toFloatArray());

            NDArray src = manager.create(new float[] {1, 2, 3, 4});
            NDArray cls = manager.create(new long[] {0, 2, 2, 1});
            NDArray sums = GatherOps.scatterAdd(manager.zeros(new Shape(3)), 0, cls, src);
            assertArrayEquals(new float[] {1, 4, 5}, sums.toFloatArray());

            NDArray max = GatherOps.scatterReduce(
                    manager.zeros(new Shape(3)), 0, cls, src, Reduction.AMAX, false);
            assertArrayEquals(new float[] {1, 4, 3}, max.toFloatArray());
        }
    }

    @Test
    void theReadmesErrorMessageIsTheRealOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray src = manager.create(new float[] {1, 2, 3, 4});
            NDArray bad = manager.create(new long[] {0, 2, 7, 1});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.scatterAdd(manager.zeros(new Shape(3)), 0, bad, src));
            assertEquals("scatterAdd: index is out of range along axis 0; expected values in"
                    + " [0, 3), got 7 (index values span [0, 7])", e.getMessage());
        }
    }
}
