package io.djlgather.samples.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;

/**
 * Stacks variable-length sequences into one batch: every array is padded with zeros of its own
 * dtype at the end of every axis to the batch's largest size along that axis (axis 0: the
 * longest sentence; axis 1 of a [T,L] character array: the longest word), then stacked (DJL's
 * padding batchifiers pad with a float32 value, which would turn int64 token ids into floats).
 * The arrays of one column must have the same rank.
 */
public final class PadBatchifier implements Batchifier {

    private static final long serialVersionUID = 1L;

    @Override
    public NDList batchify(NDList[] inputs) {
        int columns = inputs[0].size();
        NDList out = new NDList(columns);
        for (int c = 0; c < columns; c++) {
            int rank = inputs[0].get(c).getShape().dimension();
            long[] max = new long[rank];
            for (NDList item : inputs) {
                Shape shape = item.get(c).getShape();
                if (shape.dimension() != rank) {
                    throw new IllegalArgumentException(
                            "PadBatchifier.batchify: column " + c + " mixes ranks; expected rank " + rank + ", got " + shape);
                }
                for (int axis = 0; axis < rank; axis++) {
                    max[axis] = Math.max(max[axis], shape.get(axis));
                }
            }
            NDArray[] padded = new NDArray[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                NDArray a = inputs[i].get(c);
                for (int axis = 0; axis < rank; axis++) {
                    long missing = max[axis] - a.getShape().get(axis);
                    if (missing > 0) {
                        long[] dims = a.getShape().getShape();
                        dims[axis] = missing;
                        a = a.concat(a.getManager().zeros(new Shape(dims), a.getDataType()), axis);
                    }
                }
                padded[i] = a;
            }
            out.add(NDArrays.stack(new NDList(padded)));
        }
        return out;
    }

    @Override
    public NDList[] unbatchify(NDList inputs) {
        return Batchifier.STACK.unbatchify(inputs);
    }
}
