package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpCall;

/** gather, scatter, scatterAdd, scatterReduce and takeAlongAxis: the per-element index ops. */
final class ScatterGather {

    private ScatterGather() {}

    static NDArray gather(NDManager manager, NDArray inputArray, int axis, NDArray indexArray) {
        String op = "gather";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = Checks.axis(op, axis, input.getShape());
        Checks.sameRank(op, "index", index, "input", input);
        Checks.fitsWithin(op, "index", index.getShape(), "input", input.getShape(), ax);
        try (OpCall call = new OpCall(op, input).ownedBy(manager)) {
            PtNDArray idx = call.index(index);
            call.reads("index", idx, 0, size(input, ax), ax);
            return call.djl(() -> input.gather(idx, ax));
        }
    }

    static NDArray scatter(NDArray inputArray, int axis, NDArray indexArray, NDArray srcArray) {
        String op = "scatter";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        int ax = checkScatter(op, input, axis, index, src);
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.index(index);
            PtNDArray s = call.onDevice(src);
            call.reads("index", idx, 0, size(input, ax), ax);
            return call.djl(() -> input.scatter(idx, s, ax));
        }
    }

    static NDArray scatter(NDArray inputArray, int axis, NDArray indexArray, Number value) {
        String op = "scatter";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = checkScatter(op, input, axis, index, null);
        Object scalar = OpCall.scalar(op, "value", value, input.getDataType());
        String method = scalar instanceof Long ? "scatter_value_i" : "scatter_value_f";
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.index(index);
            call.reads("index", idx, 0, size(input, ax), ax);
            return call.library(method, input, ax, idx, scalar);
        }
    }

    static NDArray scatterAdd(NDArray inputArray, int axis, NDArray indexArray, NDArray srcArray) {
        String op = "scatterAdd";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        int ax = checkScatter(op, input, axis, index, src);
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.index(index);
            PtNDArray s = call.onDevice(src);
            call.reads("index", idx, 0, size(input, ax), ax);
            String method = call.deterministicSums() ? "scatter_add_det" : "scatter_add";
            return call.library(method, input, ax, idx, s);
        }
    }

    static NDArray scatterReduce(
            NDArray inputArray,
            int axis,
            NDArray indexArray,
            NDArray srcArray,
            Reduction reduce,
            boolean includeSelf) {
        String op = "scatterReduce";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        Checks.notNull(op, "reduce", reduce);
        int ax = checkScatter(op, input, axis, index, src);
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.index(index);
            PtNDArray s = call.onDevice(src);
            call.reads("index", idx, 0, size(input, ax), ax);
            boolean sum = reduce == Reduction.SUM || reduce == Reduction.MEAN;
            String method = sum && call.deterministicSums() ? "scatter_reduce_det" : "scatter_reduce";
            return call.library(method, input, ax, idx, s, reduce.torchName(), includeSelf);
        }
    }

    static NDArray takeAlongAxis(
            NDManager manager, NDArray inputArray, NDArray indexArray, int axis) {
        String op = "takeAlongAxis";
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = checkAlongAxis(op, input, index, axis);
        try (OpCall call = new OpCall(op, input).ownedBy(manager)) {
            PtNDArray idx = call.index(index);
            call.reads("index", idx, 0, size(input, ax), ax);
            return call.library("take_along_dim", input, idx, ax);
        }
    }

    /**
     * Checks index against input for takeAlongAxis (same rank; every other dimension equal or 1
     * on either side); returns the axis.
     */
    static int checkAlongAxis(String op, PtNDArray input, PtNDArray index, int axis) {
        int ax = Checks.axis(op, axis, input.getShape());
        Checks.sameRank(op, "index", index, "input", input);
        Shape in = input.getShape();
        Shape ix = index.getShape();
        for (int d = 0; d < in.dimension(); d++) {
            if (d != ax && in.get(d) != ix.get(d) && in.get(d) != 1 && ix.get(d) != 1) {
                throw Checks.fail(op, "index", "does not broadcast with input at dimension " + d,
                        "size " + in.get(d) + " or 1 (input shape " + in + ")",
                        ix.get(d) + " (shape " + ix + ")");
            }
        }
        return ax;
    }

    /** Checks index and src against input for the scatter family; returns the axis. */
    static int checkScatter(
            String op, PtNDArray input, int axis, PtNDArray index, PtNDArray src) {
        int ax = Checks.axis(op, axis, input.getShape());
        Checks.sameRank(op, "index", index, "input", input);
        Checks.fitsWithin(op, "index", index.getShape(), "input", input.getShape(), ax);
        if (src != null) {
            Checks.sameDataType(op, "src", src, input);
            Checks.sameRank(op, "src", src, "input", input);
            Checks.fitsWithin(op, "index", index.getShape(), "src", src.getShape(), -1);
        }
        return ax;
    }

    /** The size of an axis; a rank-0 array counts as one element along axis 0. */
    static long size(NDArray input, int axis) {
        Shape shape = input.getShape();
        return shape.dimension() == 0 ? 1 : shape.get(axis);
    }
}
