package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpCall;

/** indexSelect, indexAdd, indexCopy, indexFill and indexReduce: the whole-slice index ops. */
final class IndexOps {

    private IndexOps() {}

    static NDArray indexSelect(
            NDManager manager, NDArray inputArray, int axis, NDArray indexArray) {
        String op = "indexSelect";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = Checks.axis(op, axis, input.getShape());
        Checks.vector(op, "index", index);
        try (OpCall call = new OpCall(op, input).ownedBy(manager)) {
            PtNDArray idx = call.indexAnyWidth(index);
            call.reads("index", idx, 0, ScatterGather.size(input, ax), ax);
            return call.library("index_select", input, ax, idx);
        }
    }

    static NDArray indexAdd(
            NDArray inputArray, int axis, NDArray indexArray, NDArray srcArray, Number alpha) {
        String op = "indexAdd";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        int ax = checkSlices(op, input, axis, index, src);
        Object scale = alpha == null ? null : OpCall.scalar(op, "alpha", alpha, input.getDataType());
        try (OpCall call = new OpCall(op, input)) {
            boolean deterministic = call.deterministicSums();
            // index_add reads int32 itself; the deterministic methods take int64
            PtNDArray idx = deterministic ? call.index(index) : call.indexAnyWidth(index);
            PtNDArray s = call.onDevice(src);
            call.reads("index", idx, 0, ScatterGather.size(input, ax), ax);
            if (deterministic) {
                Object a = scale == null ? Double.valueOf(1) : scale;
                String method = a instanceof Long ? "index_add_det_i" : "index_add_det_f";
                return call.library(method, input, ax, idx, s, a);
            }
            if (scale == null) {
                return call.library("index_add", input, ax, idx, s);
            }
            String method = scale instanceof Long ? "index_add_alpha_i" : "index_add_alpha_f";
            return call.library(method, input, ax, idx, s, scale);
        }
    }

    static NDArray indexCopy(NDArray inputArray, int axis, NDArray indexArray, NDArray srcArray) {
        String op = "indexCopy";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        int ax = checkSlices(op, input, axis, index, src);
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.index(index);
            PtNDArray s = call.onDevice(src);
            call.reads("index", idx, 0, ScatterGather.size(input, ax), ax);
            return call.library("index_copy", input, ax, idx, s);
        }
    }

    static NDArray indexFill(NDArray inputArray, int axis, NDArray indexArray, Number value) {
        String op = "indexFill";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = Checks.axis(op, axis, input.getShape());
        Checks.vector(op, "index", index);
        Object scalar = OpCall.scalar(op, "value", value, input.getDataType());
        String method = scalar instanceof Long ? "index_fill_i" : "index_fill_f";
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.index(index);
            long size = ScatterGather.size(input, ax);
            // like PyTorch's index_fill, negative values count from the end of the axis
            call.reads("index", idx, -size, size, ax);
            return call.library(method, input, ax, idx, scalar);
        }
    }

    static NDArray indexReduce(
            NDArray inputArray,
            int axis,
            NDArray indexArray,
            NDArray srcArray,
            Reduction reduce,
            boolean includeSelf) {
        String op = "indexReduce";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        Checks.notNull(op, "reduce", reduce);
        if (reduce == Reduction.SUM) {
            throw Checks.fail(op, "reduce", "is not supported by index_reduce",
                    "PROD, MEAN, AMAX or AMIN (for sums use indexAdd)", reduce);
        }
        int ax = checkSlices(op, input, axis, index, src);
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.indexAnyWidth(index);
            PtNDArray s = call.onDevice(src);
            call.reads("index", idx, 0, ScatterGather.size(input, ax), ax);
            return call.library("index_reduce", input, ax, idx, s, reduce.torchName(), includeSelf);
        }
    }

    /**
     * Checks a slice op's index and src: index a vector, src of input's dtype and of input's
     * shape except {@code src.size(axis) == index.size()}. Returns the axis.
     */
    static int checkSlices(
            String op, PtNDArray input, int axis, PtNDArray index, PtNDArray src) {
        int ax = Checks.axis(op, axis, input.getShape());
        Checks.vector(op, "index", index);
        Checks.sameDataType(op, "src", src, input);
        Shape in = input.getShape();
        if (in.dimension() == 0) {
            // PyTorch treats a scalar input as one element along axis 0
            if (src.size() != 1 || index.size() != 1) {
                throw Checks.fail(op, "src", "must hold one element per index for a scalar input",
                        "one element and one index", src.size() + " elements, " + index.size()
                                + " indices");
            }
            return ax;
        }
        Checks.sameRank(op, "src", src, "input", input);
        long[] dims = in.getShape().clone();
        dims[ax] = index.size();
        Shape want = new Shape(dims);
        if (!want.equals(src.getShape())) {
            throw Checks.fail(op, "src", "has the wrong shape",
                    want + " (input shape with axis " + ax + " sized to index's " + index.size()
                            + " elements)", src.getShape());
        }
        return ax;
    }
}
