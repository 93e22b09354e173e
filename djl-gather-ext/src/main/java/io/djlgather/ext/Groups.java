package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpCall;

/**
 * The grouped reductions behind {@link GroupOps}: argument checks, then one method of the op
 * library ({@code io/djlgather/ext/ops/group.torchscript}) per call.
 */
final class Groups {

    private Groups() {}

    // ---------------------------------------------------------------------------------------
    // scatter family: groups named by an index

    static NDArray scatter(NDArray srcArray, NDArray indexArray, int axis, long dimSize,
            Reduction reduce) {
        String op = "scatter";
        PtNDArray src = data(op, srcArray, false);
        PtNDArray index = Checks.index(op, "index", indexArray);
        Checks.notNull(op, "reduce", reduce);
        int ax = checkGroupIndex(op, src, index, axis);
        try (OpCall call = new OpCall(op, src)) {
            PtNDArray idx = call.index(index);
            long size = groups(call, op, idx, dimSize, ax);
            return call.library("group_scatter", src, idx, ax, size, reduce.torchName());
        }
    }

    static GroupOps.ArgReduced scatterArg(String op, NDArray srcArray, NDArray indexArray,
            int axis, long dimSize, String reduce) {
        PtNDArray src = data(op, srcArray, false);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = checkGroupIndex(op, src, index, axis);
        try (OpCall call = new OpCall(op, src)) {
            PtNDArray idx = call.index(index);
            long size = groups(call, op, idx, dimSize, ax);
            NDList out = call.libraryTuple("group_arg", src, idx, ax, size, reduce);
            return new GroupOps.ArgReduced(out.get(0), out.get(1));
        }
    }

    /** softmax, log-softmax: one value per element of src. */
    static NDArray softmax(String op, String method, NDArray srcArray, NDArray indexArray,
            int axis) {
        PtNDArray src = data(op, srcArray, true);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = checkGroupIndex(op, src, index, axis);
        try (OpCall call = new OpCall(op, src)) {
            PtNDArray idx = call.index(index);
            long size = groups(call, op, idx, -1, ax);
            return call.library(method, src, idx, ax, size);
        }
    }

    static NDArray logSumExp(NDArray srcArray, NDArray indexArray, int axis, long dimSize) {
        String op = "scatterLogSumExp";
        PtNDArray src = data(op, srcArray, true);
        PtNDArray index = Checks.index(op, "index", indexArray);
        int ax = checkGroupIndex(op, src, index, axis);
        try (OpCall call = new OpCall(op, src)) {
            PtNDArray idx = call.index(index);
            long size = groups(call, op, idx, dimSize, ax);
            return call.library("group_logsumexp", src, idx, ax, size);
        }
    }

    // ---------------------------------------------------------------------------------------
    // segment family: groups as contiguous runs

    static NDArray segmentCsr(NDArray srcArray, NDArray indptrArray, Reduction reduce) {
        String op = "segmentCsr";
        PtNDArray src = data(op, srcArray, false);
        PtNDArray indptr = Checks.index(op, "indptr", indptrArray);
        Checks.notNull(op, "reduce", reduce);
        int ax = checkLeading(op, "indptr", src, indptr);
        try (OpCall call = new OpCall(op, src)) {
            PtNDArray ptr = call.index(indptr);
            checkIndptr(call, op, ptr, 0, src.getShape().get(ax), ax);
            return call.library("group_segment_csr", src, ptr, reduce.torchName());
        }
    }

    static NDArray segmentCoo(NDArray srcArray, NDArray indexArray, long dimSize,
            Reduction reduce) {
        String op = "segmentCoo";
        PtNDArray src = data(op, srcArray, false);
        PtNDArray index = Checks.index(op, "sortedIndex", indexArray);
        Checks.notNull(op, "reduce", reduce);
        int ax = checkLeading(op, "sortedIndex", src, index);
        if (index.getShape().get(ax) != src.getShape().get(ax)) {
            throw Checks.fail(op, "sortedIndex", "must have one entry per element along axis " + ax,
                    "size " + src.getShape().get(ax) + " at its last axis (src shape "
                            + src.getShape() + ")",
                    index.getShape().get(ax) + " (shape " + index.getShape() + ")");
        }
        try (OpCall call = new OpCall(op, src)) {
            PtNDArray idx = call.index(index);
            long[] stats = stats(call, idx);
            long size = checkValues(op, "sortedIndex", idx, stats, dimSize, ax);
            if (stats[2] < 0) {
                throw Checks.fail(op, "sortedIndex", "is not sorted along its last axis " + ax,
                        "non-decreasing values", "a step of " + stats[2]);
            }
            return call.library("group_segment_coo", src, idx, size, reduce.torchName());
        }
    }

    static NDArray gatherCsr(NDArray srcArray, NDArray indptrArray) {
        String op = "gatherCsr";
        PtNDArray src = data(op, srcArray, false);
        PtNDArray indptr = Checks.index(op, "indptr", indptrArray);
        int ax = checkLeading(op, "indptr", src, indptr);
        long segments = indptr.getShape().get(ax) - 1;
        if (segments != src.getShape().get(ax)) {
            throw Checks.fail(op, "indptr", "must bound one segment per element of src along axis "
                    + ax, "size " + (src.getShape().get(ax) + 1) + " at its last axis (src shape "
                    + src.getShape() + ")",
                    indptr.getShape().get(ax) + " (shape " + indptr.getShape() + ")");
        }
        try (OpCall call = new OpCall(op, src)) {
            PtNDArray ptr = call.index(indptr);
            long[] stats = stats(call, ptr);
            long size = indptr.isEmpty() ? 0 : Math.max(0, stats[1]);
            checkIndptr(call, op, ptr, stats, 0, size, ax);
            return call.library("group_gather_csr", src, ptr, size);
        }
    }

    static NDArray gatherCoo(NDArray srcArray, NDArray indexArray) {
        String op = "gatherCoo";
        PtNDArray src = data(op, srcArray, false);
        PtNDArray index = Checks.index(op, "sortedIndex", indexArray);
        int ax = checkLeading(op, "sortedIndex", src, index);
        try (OpCall call = new OpCall(op, src)) {
            PtNDArray idx = call.index(index);
            call.reads("sortedIndex", idx, 0, src.getShape().get(ax), ax);
            return call.library("group_gather_coo", src, idx);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Checks

    /** src: rank >= 1, a floating dtype (float16/32/64), or also int32/int64 where allowed. */
    private static PtNDArray data(String op, NDArray array, boolean floatOnly) {
        PtNDArray src = Checks.array(op, "src", array);
        DataType type = src.getDataType();
        boolean floating = type == DataType.FLOAT32 || type == DataType.FLOAT64
                || type == DataType.FLOAT16;
        boolean integer = type == DataType.INT32 || type == DataType.INT64;
        if (!floating && !(integer && !floatOnly)) {
            throw Checks.fail(op, "src", "has an unsupported dtype",
                    floatOnly ? "float16, float32 or float64"
                            : "float16, float32, float64, int32 or int64",
                    type);
        }
        if (src.getShape().dimension() == 0) {
            throw Checks.fail(op, "src", "must have at least one axis", "rank >= 1",
                    "rank 0 (a scalar)");
        }
        return src;
    }

    /**
     * The index of the scatter family against src (pytorch_scatter's broadcast): a 1-D index of
     * src.size(axis) (or 1) entries along axis, or an index of rank <= src's whose sizes, with
     * trailing axes added, equal src's or are 1. Returns the axis.
     */
    private static int checkGroupIndex(String op, PtNDArray src, PtNDArray index, int axis) {
        Shape s = src.getShape();
        int ax = Checks.axis(op, axis, "src", s);
        Shape ix = index.getShape();
        int rank = ix.dimension();
        if (rank == 0 || rank > s.dimension()) {
            throw Checks.fail(op, "index", "has the wrong rank",
                    "rank 1 to " + s.dimension() + " (src shape " + s + ")",
                    "rank " + rank + " (shape " + ix + ")");
        }
        if (rank == 1) {
            long n = ix.get(0);
            if (n != s.get(ax) && n != 1) {
                throw Checks.fail(op, "index", "does not broadcast to src along axis " + ax,
                        "a vector of " + s.get(ax) + " (or 1) entries (src shape " + s + ")",
                        n + " (shape " + ix + ")");
            }
            return ax;
        }
        for (int d = 0; d < rank; d++) {
            if (ix.get(d) != s.get(d) && ix.get(d) != 1) {
                throw Checks.fail(op, "index", "does not broadcast to src at dimension " + d,
                        "size " + s.get(d) + " or 1 (src shape " + s + ")",
                        ix.get(d) + " (shape " + ix + ")");
            }
        }
        return ax;
    }

    /**
     * An indptr or sorted index of rank k <= src's rank, reducing along axis k - 1: its leading
     * sizes equal src's or are 1. Returns that axis.
     */
    private static int checkLeading(String op, String name, PtNDArray src, PtNDArray index) {
        Shape s = src.getShape();
        Shape ix = index.getShape();
        int rank = ix.dimension();
        if (rank == 0 || rank > s.dimension()) {
            throw Checks.fail(op, name, "has the wrong rank",
                    "rank 1 to " + s.dimension() + " (src shape " + s + ")",
                    "rank " + rank + " (shape " + ix + ")");
        }
        int ax = rank - 1;
        for (int d = 0; d < ax; d++) {
            if (ix.get(d) != s.get(d) && ix.get(d) != 1) {
                throw Checks.fail(op, name, "does not broadcast to src at dimension " + d,
                        "size " + s.get(d) + " or 1 (src shape " + s + ")",
                        ix.get(d) + " (shape " + ix + ")");
            }
        }
        if (name.equals("indptr") && ix.get(ax) < 1) {
            throw Checks.fail(op, name, "must hold at least one offset along its last axis",
                    "S + 1 >= 1 offsets", "shape " + ix);
        }
        return ax;
    }

    /** [min, max, smallest step along the last axis, last value] with one host sync. */
    private static long[] stats(OpCall call, PtNDArray index) {
        try (NDArray stats = call.libraryFor(index.getManager(), "group_stats", index)) {
            return stats.toLongArray();
        }
    }

    /**
     * The number of groups: dimSize, or max(index) + 1 (0 for an empty index) when dimSize < 0.
     * Index values must be non-negative and below it. Costs one host sync when dimSize < 0;
     * otherwise the device runtime decides (on CPU the kernel's own check, explained).
     */
    private static long groups(OpCall call, String op, PtNDArray idx, long dimSize, int axis) {
        if (dimSize >= 0) {
            call.reads("index", idx, 0, dimSize, axis);
            return dimSize;
        }
        return checkValues(op, "index", idx, stats(call, idx), dimSize, axis);
    }

    private static long checkValues(String op, String name, PtNDArray idx, long[] stats,
            long dimSize, int axis) {
        boolean empty = idx.isEmpty();
        if (!empty && stats[0] < 0) {
            throw Checks.indexOutOfRange(op, name, "along axis " + axis + " (no negative groups)",
                    0, dimSize >= 0 ? dimSize : stats[1] + 1, stats[0], stats[1]);
        }
        if (dimSize < 0) {
            return empty ? 0 : stats[1] + 1;
        }
        if (!empty && stats[1] >= dimSize) {
            throw Checks.indexOutOfRange(op, name, "along axis " + axis + " (dimSize " + dimSize
                    + ")", 0, dimSize, stats[0], stats[1]);
        }
        return dimSize;
    }

    private static void checkIndptr(OpCall call, String op, PtNDArray ptr, long low, long high,
            int axis) {
        checkIndptr(call, op, ptr, stats(call, ptr), low, high, axis);
    }

    /** indptr: values in [low, high], non-decreasing along its last axis. */
    private static void checkIndptr(OpCall call, String op, PtNDArray ptr, long[] stats, long low,
            long high, int axis) {
        if (ptr.isEmpty()) {
            return;
        }
        if (stats[0] < low || stats[1] > high) {
            long bad = stats[0] < low ? stats[0] : stats[1];
            throw Checks.fail(op, "indptr", "is out of range along axis " + axis,
                    "offsets in [" + low + ", " + high + "]",
                    bad + " (indptr values span [" + stats[0] + ", " + stats[1] + "])");
        }
        if (stats[2] < 0) {
            throw Checks.fail(op, "indptr", "decreases along its last axis",
                    "non-decreasing offsets", "a step of " + stats[2]);
        }
    }
}
