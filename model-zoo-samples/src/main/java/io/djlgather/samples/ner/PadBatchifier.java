package io.djlgather.samples.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;

/**
 * Stacks variable-length sequences into one batch: every array is padded with zeros of its own
 * dtype along axis 0 to the longest in the batch, then stacked (DJL's padding batchifiers pad
 * with a float32 value, which would turn int64 token ids into floats).
 */
public final class PadBatchifier implements Batchifier {

    private static final long serialVersionUID = 1L;

    @Override
    public NDList batchify(NDList[] inputs) {
        int columns = inputs[0].size();
        NDList out = new NDList(columns);
        for (int c = 0; c < columns; c++) {
            long max = 0;
            for (NDList item : inputs) {
                max = Math.max(max, item.get(c).getShape().get(0));
            }
            NDArray[] padded = new NDArray[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                NDArray a = inputs[i].get(c);
                long missing = max - a.getShape().get(0);
                if (missing == 0) {
                    padded[i] = a;
                } else {
                    Shape padShape = new Shape(missing).addAll(a.getShape().slice(1));
                    padded[i] = a.concat(a.getManager().zeros(padShape, a.getDataType()), 0);
                }
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
