package io.djlgather.samples.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * A running mean of a block's parameters, taken after chosen epochs (weight averaging, as in
 * Izmailov et al. 2018), that can be swapped into the block and back.
 *
 * <p>The mean is kept on the host in double precision: mean += (p - mean) / n after the n-th
 * {@link #add()}. {@link #swap()} exchanges the block's float32 parameter values with the mean's
 * (rounded to float32) in place, through {@link NDArray#set(NDIndex, NDArray)} over every element
 * (an indexed copy: {@code set(Buffer)} would do the same but makes PyTorch 2.7.1 print a
 * deprecation warning about {@code AutoNonVariableTypeMode}), so the arrays, their gradients and
 * the optimizer's state stay the ones the trainer holds; a second {@code swap()} puts the trained
 * values back exactly. Call it outside a {@code GradientCollector}.
 */
final class WeightAverage {

    /** Every element: {@code array.set(ALL, values)} copies values in place. */
    private static final NDIndex ALL = new NDIndex("...");

    private final List<Parameter> parameters = new ArrayList<>();
    private final List<double[]> means = new ArrayList<>();
    private final List<float[]> held = new ArrayList<>();
    private long count;
    private boolean swapped;

    /**
     * Averages every parameter of a block.
     *
     * @param block an initialised block with float32 parameters
     * @throws IllegalArgumentException if a parameter is not initialised or not float32
     */
    WeightAverage(Block block) {
        for (Parameter p : block.getParameters().values()) {
            if (!p.isInitialized() || p.getArray().getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("WeightAverage: parameter " + p.getName()
                        + " cannot be averaged; expected an initialised float32 array, got "
                        + (p.isInitialized() ? p.getArray().getDataType() : "none"));
            }
            parameters.add(p);
            means.add(new double[Math.toIntExact(p.getArray().size())]);
            held.add(null);
        }
    }

    /** Adds the block's current parameters to the mean. */
    void add() {
        if (swapped) {
            throw new IllegalStateException("WeightAverage.add: the mean is swapped in; swap it out first");
        }
        count++;
        for (int i = 0; i < parameters.size(); i++) {
            float[] values = parameters.get(i).getArray().toFloatArray();
            double[] mean = means.get(i);
            for (int j = 0; j < mean.length; j++) {
                mean[j] += (values[j] - mean[j]) / count;
            }
        }
    }

    /** Returns how many times {@link #add()} ran. */
    long count() {
        return count;
    }

    /**
     * Puts the mean into the block (keeping the trained values aside), or the trained values
     * back when the mean is in.
     *
     * @throws IllegalStateException if nothing was added
     */
    void swap() {
        if (count == 0) {
            throw new IllegalStateException("WeightAverage.swap: nothing was added");
        }
        for (int i = 0; i < parameters.size(); i++) {
            NDArray array = parameters.get(i).getArray();
            if (swapped) {
                try (NDArray values = array.getManager().create(held.get(i), array.getShape())) {
                    array.set(ALL, values);
                }
                held.set(i, null);
            } else {
                held.set(i, array.toFloatArray());
                double[] mean = means.get(i);
                float[] rounded = new float[mean.length];
                for (int j = 0; j < mean.length; j++) {
                    rounded[j] = (float) mean[j];
                }
                try (NDArray values = array.getManager().create(rounded, array.getShape())) {
                    array.set(ALL, values);
                }
            }
        }
        swapped = !swapped;
    }
}
