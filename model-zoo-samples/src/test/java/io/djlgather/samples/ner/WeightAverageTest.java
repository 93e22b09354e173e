package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The running mean of a block's parameters against the plain mean of the values set, and the
 * swap in and out of the block (the second swap restores the trained values bit for bit, in the
 * same arrays).
 */
class WeightAverageTest {

    @Test
    void swapsInThePlainMeanAndBackExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = Linear.builder().setUnits(2).build();
            linear.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            List<Parameter> params = linear.getParameters().values();
            Parameter weight = params.get(0);
            Parameter bias = params.get(1);
            var weightArray = weight.getArray();
            WeightAverage average = new WeightAverage(linear);
            float[][] weights = {{1, 2, 3, 4, 5, 6}, {3, 2, 1, 0, -1, 0.1f}, {-4, 0.5f, 7, 1e-3f, 2, 9}};
            float[][] biases = {{1, -1}, {0.25f, 3}, {2, 2}};
            for (int k = 0; k < weights.length; k++) {
                weight.getArray().set(new NDIndex("..."), manager.create(weights[k], new Shape(2, 3)));
                bias.getArray().set(new NDIndex("..."), manager.create(biases[k]));
                average.add();
            }
            assertEquals(3, average.count());
            float[] mean = new float[6];
            for (int j = 0; j < 6; j++) {
                mean[j] = (float) ((weights[0][j] + (double) weights[1][j] + weights[2][j]) / 3);
            }
            average.swap();
            assertArrayEquals(mean, weight.getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {(1 + 0.25f + 2) / 3f, (-1 + 3 + 2) / 3f}, bias.getArray().toFloatArray(), 1e-6f);
            assertEquals(weightArray, weight.getArray(), "the same array, changed in place");
            assertThrows(IllegalStateException.class, average::add, "adding while the mean is in");
            average.swap();
            assertArrayEquals(weights[2], weight.getArray().toFloatArray(), 0f);
            assertArrayEquals(biases[2], bias.getArray().toFloatArray(), 0f);
        }
    }

    @Test
    void nothingAddedCannotSwap() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear linear = Linear.builder().setUnits(1).build();
            linear.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            assertThrows(IllegalStateException.class, new WeightAverage(linear)::swap);
        }
    }
}
