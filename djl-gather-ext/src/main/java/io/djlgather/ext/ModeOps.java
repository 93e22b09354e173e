package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpCall;
import java.util.Arrays;

/**
 * The index ops under an {@link IndexMode}, and gatherNd. ERROR hands each op to its own family
 * (ScatterGather, IndexOps, FlatOps) unchanged; CLIP, DROP and FILL run as tensor ops of the op
 * library ({@code ops/modes.torchscript}) around the same kernels, never reading the index back
 * to the host:
 *
 * <ul>
 *   <li>CLIP: the index clamped into {@code [0, n-1]}, then the op's kernel.
 *   <li>FILL (reads): the kernel at a valid stand-in position, then {@code where(valid, read, fill)}.
 *   <li>DROP (writes): the kernel on a copy of input with one extra slot along the axis, every
 *       out-of-range value sent to that slot, which is then cut off.
 * </ul>
 */
final class ModeOps {

    private ModeOps() {}

    // ---------------------------------------------------------------------------------------
    // Reads

    static NDArray gather(
            NDManager manager, NDArray inputArray, int axis, NDArray indexArray, IndexMode mode) {
        String op = "gather";
        if (isError(op, mode, true)) {
            return ScatterGather.gather(manager, inputArray, axis, indexArray);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = Checks.axis(op, axis, input.getShape());
        Checks.sameRank(op, "index", index, "input", input);
        Checks.fitsWithin(op, "index", index.getShape(), "input", input.getShape(), ax);
        return read(op, "gather", manager, input, ax, index, ScatterGather.size(input, ax), false,
                mode);
    }

    static NDArray takeAlongAxis(
            NDManager manager, NDArray inputArray, NDArray indexArray, int axis, IndexMode mode) {
        String op = "takeAlongAxis";
        if (isError(op, mode, true)) {
            return ScatterGather.takeAlongAxis(manager, inputArray, indexArray, axis);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = ScatterGather.checkAlongAxis(op, input, index, axis);
        return read(op, "take_along_dim", manager, input, ax, index,
                ScatterGather.size(input, ax), false, mode);
    }

    static NDArray indexSelect(
            NDManager manager, NDArray inputArray, int axis, NDArray indexArray, IndexMode mode) {
        String op = "indexSelect";
        if (isError(op, mode, true)) {
            return IndexOps.indexSelect(manager, inputArray, axis, indexArray);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = Checks.axis(op, axis, input.getShape());
        Checks.vector(op, "index", index);
        return read(op, "index_select", manager, input, ax, index,
                ScatterGather.size(input, ax), false, mode);
    }

    static NDArray take(NDManager manager, NDArray inputArray, NDArray indexArray, IndexMode mode) {
        String op = "take";
        if (isError(op, mode, true)) {
            return FlatOps.take(manager, inputArray, indexArray);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        return read(op, "take", manager, input, -1, index, input.size(), true, mode);
    }

    /** A read under CLIP or FILL; axis -1: the flattened input. */
    private static NDArray read(String op, String kernel, NDManager manager, PtNDArray input,
            int axis, PtNDArray index, long n, boolean wrap, IndexMode mode) {
        checkClip(op, mode, index, n, axis);
        Object fill = fillValue(op, mode, input.getDataType());
        int dim = Math.max(axis, 0);
        try (OpCall call = new OpCall(op, input).ownedBy(manager)) {
            PtNDArray idx = call.index(index);
            if (fill == null) {
                return call.library("read_clip", kernel, input, dim, idx, n, wrap);
            }
            String method = fill instanceof Long ? "read_fill_i" : "read_fill_f";
            return call.library(method, kernel, input, dim, idx, n, wrap, fill);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Writes

    /** A write kernel on (possibly padded) input, index and src along dim. */
    private interface Kernel {
        NDArray run(OpCall call, PtNDArray input, PtNDArray index, PtNDArray src, int dim);
    }

    static NDArray scatter(
            NDArray inputArray, int axis, NDArray indexArray, NDArray srcArray, IndexMode mode) {
        String op = "scatter";
        if (isError(op, mode, false)) {
            return ScatterGather.scatter(inputArray, axis, indexArray, srcArray);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        int ax = ScatterGather.checkScatter(op, input, axis, index, src);
        return write(op, input, ax, index, src, false, mode,
                (call, in, i, s, dim) -> call.djl(() -> in.scatter(i, s, dim)));
    }

    static NDArray scatter(
            NDArray inputArray, int axis, NDArray indexArray, Number value, IndexMode mode) {
        String op = "scatter";
        if (isError(op, mode, false)) {
            return ScatterGather.scatter(inputArray, axis, indexArray, value);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = ScatterGather.checkScatter(op, input, axis, index, null);
        Object scalar = OpCall.scalar(op, "value", value, input.getDataType());
        String method = scalar instanceof Long ? "scatter_value_i" : "scatter_value_f";
        return write(op, input, ax, index, null, false, mode,
                (call, in, i, s, dim) -> call.library(method, in, dim, i, scalar));
    }

    static NDArray scatterAdd(
            NDArray inputArray, int axis, NDArray indexArray, NDArray srcArray, IndexMode mode) {
        String op = "scatterAdd";
        if (isError(op, mode, false)) {
            return ScatterGather.scatterAdd(inputArray, axis, indexArray, srcArray);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        int ax = ScatterGather.checkScatter(op, input, axis, index, src);
        long n = ScatterGather.size(input, ax);
        if (mode.kind() == IndexMode.Kind.DROP && n > 0 && input.getShape().dimension() > 0
                && input.getDataType() != DataType.BOOLEAN) {
            try (OpCall call = new OpCall(op, input)) {
                if (!call.deterministicSums()) {
                    // one method, no padded copy (see modes.torchscript)
                    PtNDArray idx = call.index(index);
                    PtNDArray s = call.onDevice(src);
                    return call.library("scatter_add_drop", input, ax, idx, s, n);
                }
            }
        }
        return write(op, input, ax, index, src, false, mode, (call, in, i, s, dim) ->
                call.library(call.deterministicSums() ? "scatter_add_det" : "scatter_add",
                        in, dim, i, s));
    }

    static NDArray scatterReduce(NDArray inputArray, int axis, NDArray indexArray,
            NDArray srcArray, Reduction reduce, boolean includeSelf, IndexMode mode) {
        String op = "scatterReduce";
        if (isError(op, mode, false)) {
            return ScatterGather.scatterReduce(
                    inputArray, axis, indexArray, srcArray, reduce, includeSelf);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        Checks.notNull(op, "reduce", reduce);
        int ax = ScatterGather.checkScatter(op, input, axis, index, src);
        boolean sum = reduce == Reduction.SUM || reduce == Reduction.MEAN;
        return write(op, input, ax, index, src, false, mode, (call, in, i, s, dim) -> {
            String method = sum && call.deterministicSums() ? "scatter_reduce_det" : "scatter_reduce";
            return call.library(method, in, dim, i, s, reduce.torchName(), includeSelf);
        });
    }

    static NDArray indexAdd(NDArray inputArray, int axis, NDArray indexArray, NDArray srcArray,
            Number alpha, IndexMode mode) {
        String op = "indexAdd";
        if (isError(op, mode, false)) {
            return IndexOps.indexAdd(inputArray, axis, indexArray, srcArray, alpha);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        int ax = IndexOps.checkSlices(op, input, axis, index, src);
        Object scale = alpha == null ? null : OpCall.scalar(op, "alpha", alpha, input.getDataType());
        return write(op, input, ax, index, src, false, mode, (call, in, i, s, dim) -> {
            if (call.deterministicSums()) {
                Object a = scale == null ? Double.valueOf(1) : scale;
                String method = a instanceof Long ? "index_add_det_i" : "index_add_det_f";
                return call.library(method, in, dim, i, s, a);
            }
            if (scale == null) {
                return call.library("index_add", in, dim, i, s);
            }
            String method = scale instanceof Long ? "index_add_alpha_i" : "index_add_alpha_f";
            return call.library(method, in, dim, i, s, scale);
        });
    }

    static NDArray indexCopy(
            NDArray inputArray, int axis, NDArray indexArray, NDArray srcArray, IndexMode mode) {
        String op = "indexCopy";
        if (isError(op, mode, false)) {
            return IndexOps.indexCopy(inputArray, axis, indexArray, srcArray);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        int ax = IndexOps.checkSlices(op, input, axis, index, src);
        return write(op, input, ax, index, src, false, mode,
                (call, in, i, s, dim) -> call.library("index_copy", in, dim, i, s));
    }

    static NDArray put(NDArray inputArray, NDArray indexArray, NDArray srcArray,
            boolean accumulate, IndexMode mode) {
        String op = "put";
        if (isError(op, mode, false)) {
            return FlatOps.put(inputArray, indexArray, srcArray, accumulate);
        }
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray index = Checks.index(op, "index", indexArray);
        PtNDArray src = Checks.array(op, "src", srcArray);
        FlatOps.checkPut(op, input, index, src);
        return write(op, input, -1, index, src, true, mode, (call, in, i, s, dim) -> {
            if (!accumulate) {
                return call.djl(() -> in.put(i, s));
            }
            return call.deterministicSums()
                    ? call.library("put_det", in, i, s)
                    : call.library("put", in, i, s, true);
        });
    }

    /**
     * A write under CLIP or DROP. axis -1 (put): the flattened input, negatives counting from
     * the end. DROP runs on flat views for put and on one-element views for a 0-d input, so that
     * the padded slot has an axis to live on, and gives the result the input's shape again.
     */
    private static NDArray write(String op, PtNDArray input, int axis, PtNDArray index,
            PtNDArray src, boolean wrap, IndexMode mode, Kernel kernel) {
        long n = axis < 0 ? input.size() : ScatterGather.size(input, axis);
        checkClip(op, mode, index, n, axis);
        int dim = Math.max(axis, 0);
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray idx = call.index(index);
            PtNDArray s = src == null ? null : call.onDevice(src);
            if (mode.kind() == IndexMode.Kind.CLIP) {
                PtNDArray clipped = call.keep(call.library("clip_index", idx, n, wrap));
                return kernel.run(call, input, clipped, s, dim);
            }
            Shape shape = input.getShape();
            boolean flat = axis < 0 || shape.dimension() == 0;
            PtNDArray in = input;
            if (flat) {
                in = call.keep((PtNDArray) input.reshape(-1));
                idx = call.keep((PtNDArray) idx.reshape(-1));
                s = s == null ? null : call.keep((PtNDArray) s.reshape(-1));
                dim = 0;
            }
            NDList prepared = call.libraryTuple("drop_prepare", in, dim, idx, n, wrap);
            PtNDArray padded = call.keep((PtNDArray) prepared.get(0));
            PtNDArray redirected = call.keep((PtNDArray) prepared.get(1));
            NDArray out = call.keep(kernel.run(call, padded, redirected, s, dim));
            PtNDArray written = call.library("drop_cut", out, dim, n);
            if (!flat) {
                return written;
            }
            // a view of the written copy in the input's shape; the handle of the flat one goes
            NDArray result = written.reshape(shape);
            written.close();
            return result;
        }
    }

    // ---------------------------------------------------------------------------------------
    // gatherNd

    static NDArray gatherNd(NDArray inputArray, NDArray coordsArray, int batchDims, IndexMode mode) {
        String op = "gatherNd";
        checkMode(op, mode, true);
        PtNDArray input = Checks.array(op, "input", inputArray);
        PtNDArray coords = Checks.index(op, "coords", coordsArray);
        Shape in = input.getShape();
        Shape cs = coords.getShape();
        int rank = cs.dimension();
        if (rank < 1) {
            throw Checks.fail(op, "coords", "must have an axis of coordinates (its last)",
                    "rank >= 1", "rank 0 (shape " + cs + ")");
        }
        if (batchDims < 0 || batchDims >= rank) {
            throw Checks.fail(op, "batchDims", "is out of range for coords of shape " + cs,
                    "a value in [0, " + (rank - 1) + "]", batchDims);
        }
        long k = cs.get(rank - 1);
        if (batchDims + k > in.dimension()) {
            throw Checks.fail(op, "coords",
                    "has more coordinates than input has axes after the batch axes",
                    "coords.size(-1) <= " + (in.dimension() - batchDims) + " (input shape " + in
                            + ", batchDims " + batchDims + ")",
                    k + " (shape " + cs + ")");
        }
        for (int d = 0; d < batchDims; d++) {
            if (in.get(d) != cs.get(d)) {
                throw Checks.fail(op, "coords", "does not match input at batch axis " + d,
                        "size " + in.get(d) + " (input shape " + in + ")",
                        cs.get(d) + " (shape " + cs + ")");
            }
        }
        long tuples = coords.size() / Math.max(1, k);
        if (k == 0) {
            tuples = new Shape(Arrays.copyOf(cs.getShape(), rank - 1)).size();
        }
        if (mode.kind() == IndexMode.Kind.CLIP && tuples > 0) {
            for (int j = 0; j < k; j++) {
                if (in.get(batchDims + j) == 0) {
                    throw Checks.fail(op, "coords",
                            "cannot be clipped into axis " + (batchDims + j) + " of size 0",
                            "an input with no empty indexed axis (input shape " + in + ")",
                            "coords of shape " + cs);
                }
            }
        }
        Object fill = fillValue(op, mode, input.getDataType());
        try (OpCall call = new OpCall(op, input)) {
            PtNDArray c = call.index(coords);
            switch (mode.kind()) {
                case CLIP:
                    return call.library("gather_nd_clip", input, c, batchDims);
                case FILL:
                    return call.library(fill instanceof Long ? "gather_nd_fill_i" : "gather_nd_fill_f",
                            input, c, batchDims, fill);
                default:
                    NDList checked = call.libraryTuple("gather_nd_checked", input, c, batchDims);
                    long[] found;
                    try (NDArray f = checked.get(1)) {
                        found = f.toLongArray();
                    }
                    if (found[0] >= 0) {
                        checked.get(0).close();
                        throw badCoordinate(op, in, cs, batchDims, found[0], found[1]);
                    }
                    return checked.get(0);
            }
        }
    }

    /** The error for the coordinate at flat position {@code flat} of coords. */
    private static IllegalArgumentException badCoordinate(
            String op, Shape in, Shape cs, int batchDims, long flat, long value) {
        int rank = cs.dimension();
        long k = cs.get(rank - 1);
        int component = (int) (flat % k);
        long tuple = flat / k;
        long[] position = new long[rank - 1];
        for (int d = rank - 2; d >= 0; d--) {
            position[d] = tuple % cs.get(d);
            tuple /= cs.get(d);
        }
        int axis = batchDims + component;
        long size = in.get(axis);
        return Checks.fail(op, "coords",
                "holds a coordinate out of range at position " + Arrays.toString(position)
                        + ", component " + component + " (axis " + axis + " of input, size "
                        + size + ")",
                "values in [0, " + size + ")", value);
    }

    // ---------------------------------------------------------------------------------------
    // Modes

    /** Checks the mode for a read or a write; returns whether it is ERROR. */
    private static boolean isError(String op, IndexMode mode, boolean read) {
        checkMode(op, mode, read);
        return mode.kind() == IndexMode.Kind.ERROR;
    }

    private static void checkMode(String op, IndexMode mode, boolean read) {
        Checks.notNull(op, "mode", mode);
        if (read && mode.kind() == IndexMode.Kind.DROP) {
            throw Checks.fail(op, "mode", "is not supported by a read (nothing to skip)",
                    "ERROR, CLIP or FILL", mode);
        }
        if (!read && mode.kind() == IndexMode.Kind.FILL) {
            throw Checks.fail(op, "mode", "is not supported by a write (nothing to read)",
                    "ERROR, CLIP or DROP", mode);
        }
    }

    /** A FILL mode's value as the input's dtype takes it ({@link OpCall#scalar}); else null. */
    private static Object fillValue(String op, IndexMode mode, DataType type) {
        if (mode.kind() != IndexMode.Kind.FILL) {
            return null;
        }
        try {
            return OpCall.scalar(op, "mode", mode.fillValue(), type);
        } catch (IllegalArgumentException e) {
            throw Checks.fail(op, "mode", "has a fill value that a " + type + " input cannot hold",
                    "an integral value in the dtype's range", mode);
        }
    }

    /** CLIP into an empty axis has no position to clip to; decided from the shapes alone. */
    private static void checkClip(String op, IndexMode mode, PtNDArray index, long n, int axis) {
        if (mode.kind() == IndexMode.Kind.CLIP && n == 0 && !index.isEmpty()) {
            String where = axis >= 0 ? "axis " + axis + " of size 0" : "an empty input";
            throw Checks.fail(op, "index", "cannot be clipped into " + where,
                    "an empty index or a non-empty " + (axis >= 0 ? "axis" : "input"),
                    index.size() + " index values");
        }
    }
}
