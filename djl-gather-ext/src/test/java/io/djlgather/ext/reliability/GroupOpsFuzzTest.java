package io.djlgather.ext.reliability;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.GroupOps;
import io.djlgather.ext.Reduction;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random calls of every {@link GroupOps} op, valid and invalid (out-of-range and negative group
 * ids, unsorted COO indices, decreasing or out-of-range indptr, wrong ranks and shapes, float
 * indices, integer data for the softmax family, bad axes, null arguments), judged by {@link
 * HelperFuzz}: the naive loops below or an IllegalArgumentException naming the op and an
 * argument. Cases: {@code -Ddjlgather.reliability.cases} (a third of it here).
 */
class GroupOpsFuzzTest {

    private static final List<DataType> DATA_TYPES =
            List.of(DataType.FLOAT32, DataType.FLOAT64, DataType.INT32, DataType.INT64);
    private static final List<DataType> INDEX_TYPES = List.of(DataType.INT32, DataType.INT64);
    private static final List<String> OPS = List.of("scatter", "scatterMax", "scatterMin",
            "scatterSoftmax", "scatterLogSoftmax", "scatterLogSumExp", "segmentCsr",
            "segmentCoo", "gatherCsr", "gatherCoo");
    private static final List<String> ARGUMENTS =
            List.of("src", "index", "indptr", "sortedIndex", "axis", "reduce");

    @Test
    void groupOpsMatchTheReferenceOrFailWithTheirOwnError() {
        int cases = HelperFuzz.cases(3);
        HelperFuzz.Tally tally = new HelperFuzz.Tally("groups");
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (long i = 0; i < cases; i++) {
                tally.run(base, i, groupCall(HelperFuzz.random(41, i)));
            }
        }
        tally.report();
    }

    /** One random call of a GroupOps op. */
    static HelperFuzz.Call groupCall(SplittableRandom rnd) {
        String op = HelperFuzz.pick(rnd, OPS);
        boolean exp = op.startsWith("scatterSoft") || op.startsWith("scatterLog");
        DataType type = exp && rnd.nextInt(8) != 0
                ? (rnd.nextBoolean() ? DataType.FLOAT32 : DataType.FLOAT64)
                : HelperFuzz.pick(rnd, DATA_TYPES);
        int rank = 1 + rnd.nextInt(3);
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(4);
        }
        Arr src = values(rnd, type, shape);
        DataType indexType = rnd.nextInt(20) == 0 ? DataType.FLOAT32 : HelperFuzz.pick(rnd, INDEX_TYPES);
        Reduction reduce = rnd.nextInt(25) == 0 ? null : HelperFuzz.pick(rnd, List.of(Reduction.values()));
        boolean bad = rnd.nextDouble() < 0.4; // one mutation of a valid call
        HelperFuzz.Call call;
        switch (op) {
            case "segmentCsr":
            case "gatherCsr":
                call = csrCall(rnd, op, src, indexType, reduce, bad);
                break;
            case "segmentCoo":
            case "gatherCoo":
                call = cooCall(rnd, op, src, indexType, reduce, bad);
                break;
            default:
                call = scatterCall(rnd, op, src, indexType, reduce, bad);
                break;
        }
        if (rnd.nextInt(40) == 0) {
            call.arrays[0] = null;
            call.mutation = "src null";
            call.invalid = "src null";
        }
        return call;
    }

    private static Arr values(SplittableRandom rnd, DataType type, long[] shape) {
        return type.isFloating() ? HelperFuzz.floats(rnd, type, shape, -4, 4)
                : HelperFuzz.ints(rnd, type, shape, -4, 4);
    }

    // ---------------------------------------------------------------------------------------
    // the scatter family

    private static HelperFuzz.Call scatterCall(SplittableRandom rnd, String op, Arr src,
            DataType indexType, Reduction reduce, boolean bad) {
        int rank = src.rank();
        int axis = rnd.nextInt(2 * rank) - rank;
        int ax = Math.floorMod(axis, rank);
        long groups = 1 + rnd.nextInt(4);
        long dimSize = rnd.nextInt(3) == 0 ? -1 : groups + rnd.nextInt(2);
        long[] indexShape;
        if (rank > 1 && rnd.nextBoolean()) {
            indexShape = new long[] {src.size(ax)}; // the 1-D broadcast form
        } else {
            indexShape = new long[1 + rnd.nextInt(rank)];
            for (int d = 0; d < indexShape.length; d++) {
                indexShape[d] = rnd.nextInt(4) == 0 ? 1 : src.size(d);
            }
        }
        Arr index = HelperFuzz.ints(rnd, indexType, indexShape, 0, (int) groups - 1);
        String mutation = "valid";
        if (bad) {
            switch (rnd.nextInt(5)) {
                case 0:
                    axis = rnd.nextBoolean() ? rank : -rank - 1;
                    mutation = "axis out of range";
                    break;
                case 1:
                    if (index.numel() > 0) {
                        index.data[rnd.nextInt(index.numel())] = rnd.nextBoolean() ? -1 : groups + 3;
                        dimSize = rnd.nextBoolean() ? -1 : groups;
                        mutation = "index value out of range";
                    }
                    break;
                case 2:
                    index = HelperFuzz.zeros(indexType, HelperFuzz.bump(indexShape, rnd.nextInt(indexShape.length)));
                    mutation = "index shape bumped";
                    break;
                case 3:
                    index = HelperFuzz.zeros(indexType, new long[rank + 1]);
                    mutation = "index rank above src's";
                    break;
                default:
                    index = index.withType(DataType.FLOAT32);
                    mutation = "float index";
                    break;
            }
        }
        Reduction r = reduce;
        HelperFuzz.Call c = new HelperFuzz.Call(op, ARGUMENTS, src, index);
        c.mutation = mutation;
        c.extra = ", axis " + axis + ", dimSize " + dimSize + (op.equals("scatter") ? ", " + r : "");
        c.invalid = scatterInvalid(op, src, index, axis, dimSize, r);
        int axisF = axis;
        long dimSizeF = dimSize;
        Arr indexF = index;
        c.invoker = (scope, a) -> {
            switch (op) {
                case "scatter": return GroupOps.scatter(a[0], a[1], axisF, dimSizeF, r);
                case "scatterMax": return arrays(GroupOps.scatterMax(a[0], a[1], axisF, dimSizeF));
                case "scatterMin": return arrays(GroupOps.scatterMin(a[0], a[1], axisF, dimSizeF));
                case "scatterSoftmax": return GroupOps.scatterSoftmax(a[0], a[1], axisF);
                case "scatterLogSoftmax": return GroupOps.scatterLogSoftmax(a[0], a[1], axisF);
                default: return GroupOps.scatterLogSumExp(a[0], a[1], axisF, dimSizeF);
            }
        };
        c.judge = (scope, a, results) -> {
            double[] ids = scatterIds(src.shape, indexF, Math.floorMod(axisF, rank));
            long n = dimSizeF >= 0 ? dimSizeF : maxPlusOne(indexF.data);
            int ax2 = Math.floorMod(axisF, rank);
            double tol = HelperFuzz.tol(src.type) * 10;
            switch (op) {
                case "scatter": {
                    Ref out = reduce(src, ids, ax2, n, r);
                    return HelperFuzz.expect("out", results[0], out.shape, src.type, scope, out.data, tol);
                }
                case "scatterMax":
                case "scatterMin": {
                    Ref[] out = arg(src, ids, ax2, n, op.equals("scatterMax"));
                    String f = HelperFuzz.expect("values", results[0], out[0].shape, src.type, scope, out[0].data, tol);
                    return f != null ? f : HelperFuzz.expect("arg", results[1], out[1].shape, DataType.INT64, scope, out[1].data, 0);
                }
                case "scatterLogSumExp": {
                    Ref out = logSumExp(src, ids, ax2, n);
                    return HelperFuzz.expect("out", results[0], out.shape, src.type, scope, out.data, tol);
                }
                default: {
                    double[] want = softmax(src, ids, ax2, maxPlusOne(indexF.data), op.equals("scatterLogSoftmax"));
                    return HelperFuzz.expect("out", results[0], src.shape, src.type, scope, want, tol);
                }
            }
        };
        return c;
    }

    private static String scatterInvalid(String op, Arr src, Arr index, int axis, long dimSize,
            Reduction reduce) {
        boolean exp = op.startsWith("scatterSoft") || op.startsWith("scatterLog");
        if (!src.type.isFloating() && exp) {
            return "integer src";
        }
        if (op.equals("scatter") && reduce == null) {
            return "reduce null";
        }
        if (!index.type.isInteger()) {
            return "float index";
        }
        int rank = src.rank();
        if (axis < -rank || axis >= rank) {
            return "axis";
        }
        int ax = Math.floorMod(axis, rank);
        if (index.rank() == 0 || index.rank() > rank) {
            return "index rank";
        }
        if (index.rank() == 1 && rank > 1) {
            if (index.size(0) != src.size(ax) && index.size(0) != 1) {
                return "index length";
            }
        } else {
            for (int d = 0; d < index.rank(); d++) {
                if (index.size(d) != src.size(d) && index.size(d) != 1) {
                    return "index shape";
                }
            }
        }
        // the softmax pair sizes its groups from the index; the others take dimSize
        boolean sized = !op.equals("scatterSoftmax") && !op.equals("scatterLogSoftmax");
        for (double v : index.data) {
            if (v < 0 || (sized && dimSize >= 0 && v >= dimSize)) {
                return "index value " + v;
            }
        }
        return null;
    }

    /** Group id of every element of src (row-major), the index broadcast as pytorch_scatter's. */
    private static double[] scatterIds(long[] shape, Arr index, int ax) {
        double[] ids = new double[Arr.numel(shape)];
        for (int i = 0; i < ids.length; i++) {
            int[] p = Arr.coords(shape, i);
            int[] q;
            if (index.rank() == 1 && shape.length > 1) {
                q = new int[] {index.size(0) == 1 ? 0 : p[ax]};
            } else {
                q = new int[index.rank()];
                for (int d = 0; d < q.length; d++) {
                    q[d] = index.size(d) == 1 ? 0 : p[d];
                }
            }
            ids[i] = index.data[Arr.flat(index.shape, q)];
        }
        return ids;
    }

    // ---------------------------------------------------------------------------------------
    // segments

    private static HelperFuzz.Call csrCall(SplittableRandom rnd, String op, Arr src,
            DataType indexType, Reduction reduce, boolean bad) {
        int rank = src.rank();
        int ptrRank = 1 + rnd.nextInt(rank);
        int ax = ptrRank - 1;
        boolean gather = op.equals("gatherCsr");
        int segments = gather ? (int) src.size(ax) : rnd.nextInt(4);
        long[] ptrShape = new long[ptrRank];
        for (int d = 0; d < ax; d++) {
            ptrShape[d] = rnd.nextInt(4) == 0 ? 1 : src.size(d);
        }
        ptrShape[ax] = segments + 1;
        Arr indptr = new Arr(indexType, ptrShape, new double[Arr.numel(ptrShape)]);
        long top = gather ? rnd.nextInt(6) : src.size(ax);
        for (int row = 0; row * (segments + 1) < indptr.numel(); row++) {
            double[] offsets = new double[segments + 1];
            for (int s = 0; s <= segments; s++) {
                offsets[s] = rnd.nextInt((int) top + 1);
            }
            Arrays.sort(offsets);
            System.arraycopy(offsets, 0, indptr.data, row * (segments + 1), segments + 1);
        }
        String mutation = "valid";
        if (bad) {
            switch (rnd.nextInt(4)) {
                case 0:
                    if (indptr.numel() > 1 && segments > 0) {
                        indptr.data[0] = indptr.data[1] + 1;
                        mutation = "indptr decreasing";
                    }
                    break;
                case 1:
                    if (indptr.numel() > 0) {
                        indptr.data[indptr.numel() - 1] = rnd.nextBoolean() ? -1 : src.size(ax) + 2;
                        mutation = "indptr value out of range";
                    }
                    break;
                case 2:
                    indptr = HelperFuzz.zeros(indexType, new long[rank + 1]);
                    mutation = "indptr rank above src's";
                    break;
                default:
                    indptr = indptr.withType(DataType.FLOAT64);
                    mutation = "float indptr";
                    break;
            }
        }
        HelperFuzz.Call c = new HelperFuzz.Call(op, ARGUMENTS, src, indptr);
        c.mutation = mutation;
        c.extra = gather ? "" : ", " + reduce;
        c.invalid = csrInvalid(gather, src, indptr, reduce);
        Arr ptr = indptr;
        c.invoker = (scope, a) -> gather ? GroupOps.gatherCsr(a[0], a[1])
                : GroupOps.segmentCsr(a[0], a[1], reduce);
        c.judge = (scope, a, results) -> {
            int axis = ptr.rank() - 1;
            double tol = HelperFuzz.tol(src.type) * 10;
            if (gather) {
                long length = 0;
                for (double v : ptr.data) {
                    length = Math.max(length, (long) v);
                }
                long[] outShape = src.shape.clone();
                outShape[axis] = length;
                double[] ids = csrIds(outShape, ptr);
                double[] want = new double[ids.length];
                for (int i = 0; i < want.length; i++) {
                    if (ids[i] >= 0) {
                        int[] p = Arr.coords(outShape, i);
                        p[axis] = (int) ids[i];
                        want[i] = src.data[Arr.flat(src.shape, p)];
                    }
                }
                return HelperFuzz.expect("out", results[0], outShape, src.type, scope, want, tol);
            }
            long segs = ptr.size(axis) - 1;
            double[] ids = csrIds(src.shape, ptr);
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0) {
                    ids[i] = segs; // outside every segment: an extra group, dropped
                }
            }
            Ref all = reduce(src, ids, axis, segs + 1, reduce);
            long[] outShape = src.shape.clone();
            outShape[axis] = segs;
            double[] want = new double[Arr.numel(outShape)];
            for (int i = 0; i < want.length; i++) {
                want[i] = all.data[Arr.flat(all.shape, Arr.coords(outShape, i))];
            }
            return HelperFuzz.expect("out", results[0], outShape, src.type, scope, want, tol);
        };
        return c;
    }

    private static String csrInvalid(boolean gather, Arr src, Arr indptr, Reduction reduce) {
        if (!gather && reduce == null) {
            return "reduce null";
        }
        if (!indptr.type.isInteger()) {
            return "float indptr";
        }
        if (indptr.rank() == 0 || indptr.rank() > src.rank()) {
            return "indptr rank";
        }
        int ax = indptr.rank() - 1;
        for (int d = 0; d < ax; d++) {
            if (indptr.size(d) != src.size(d) && indptr.size(d) != 1) {
                return "indptr shape";
            }
        }
        if (indptr.size(ax) < 1) {
            return "no offsets";
        }
        if (gather && indptr.size(ax) != src.size(ax) + 1) {
            return "indptr length";
        }
        long high = gather ? Long.MAX_VALUE : src.size(ax);
        int width = (int) indptr.size(ax);
        for (int i = 0; i < indptr.numel(); i++) {
            double v = indptr.data[i];
            if (v < 0 || v > high) {
                return "indptr value " + v;
            }
            if (i % width > 0 && v < indptr.data[i - 1]) {
                return "indptr decreasing";
            }
        }
        return null;
    }

    /** Segment of every element (row-major over shape) for an indptr; -1 outside. */
    private static double[] csrIds(long[] shape, Arr indptr) {
        int ax = indptr.rank() - 1;
        double[] ids = new double[Arr.numel(shape)];
        for (int i = 0; i < ids.length; i++) {
            int[] p = Arr.coords(shape, i);
            int[] row = new int[indptr.rank()];
            for (int d = 0; d < ax; d++) {
                row[d] = indptr.size(d) == 1 ? 0 : p[d];
            }
            ids[i] = -1;
            for (int s = 0; s + 1 < indptr.size(ax); s++) {
                row[ax] = s;
                double lo = indptr.data[Arr.flat(indptr.shape, row)];
                row[ax] = s + 1;
                double hi = indptr.data[Arr.flat(indptr.shape, row)];
                if (p[ax] >= lo && p[ax] < hi) {
                    ids[i] = s;
                }
            }
        }
        return ids;
    }

    private static HelperFuzz.Call cooCall(SplittableRandom rnd, String op, Arr src,
            DataType indexType, Reduction reduce, boolean bad) {
        int rank = src.rank();
        int idxRank = 1 + rnd.nextInt(rank);
        int ax = idxRank - 1;
        boolean gather = op.equals("gatherCoo");
        long groups = gather ? src.size(ax) : 1 + rnd.nextInt(4);
        long[] idxShape = new long[idxRank];
        for (int d = 0; d < ax; d++) {
            idxShape[d] = rnd.nextInt(4) == 0 ? 1 : src.size(d);
        }
        idxShape[ax] = gather ? rnd.nextInt(5) : src.size(ax);
        Arr index = new Arr(indexType, idxShape, new double[Arr.numel(idxShape)]);
        int width = (int) idxShape[ax];
        for (int row = 0; width > 0 && row * width < index.numel(); row++) {
            double[] ids = new double[width];
            for (int j = 0; j < width; j++) {
                ids[j] = groups == 0 ? 0 : rnd.nextInt((int) groups);
            }
            Arrays.sort(ids);
            System.arraycopy(ids, 0, index.data, row * width, width);
        }
        long dimSize = gather ? 0 : (rnd.nextInt(3) == 0 ? -1 : groups + rnd.nextInt(2));
        String mutation = groups == 0 && index.numel() > 0 ? "index into an empty axis" : "valid";
        if (bad) {
            switch (rnd.nextInt(4)) {
                case 0:
                    if (width > 1 && index.numel() > 0 && index.data[0] != index.data[width - 1]) {
                        double t = index.data[0];
                        index.data[0] = index.data[width - 1];
                        index.data[width - 1] = t;
                        mutation = "unsorted";
                    }
                    break;
                case 1:
                    if (index.numel() > 0) {
                        index.data[index.numel() - 1] = rnd.nextBoolean() ? -1 : groups + 3;
                        mutation = "value out of range";
                    }
                    break;
                case 2:
                    index = HelperFuzz.zeros(indexType, new long[rank + 1]);
                    mutation = "sortedIndex rank above src's";
                    break;
                default:
                    index = index.withType(DataType.FLOAT32);
                    mutation = "float sortedIndex";
                    break;
            }
        }
        HelperFuzz.Call c = new HelperFuzz.Call(op, ARGUMENTS, src, index);
        c.mutation = mutation;
        c.extra = gather ? "" : ", dimSize " + dimSize + ", " + reduce;
        c.invalid = cooInvalid(gather, src, index, dimSize, reduce);
        Arr idx = index;
        long dimSizeF = dimSize;
        c.invoker = (scope, a) -> gather ? GroupOps.gatherCoo(a[0], a[1])
                : GroupOps.segmentCoo(a[0], a[1], dimSizeF, reduce);
        c.judge = (scope, a, results) -> {
            int axis = idx.rank() - 1;
            double tol = HelperFuzz.tol(src.type) * 10;
            if (gather) {
                long[] outShape = src.shape.clone();
                outShape[axis] = idx.size(axis);
                double[] want = new double[Arr.numel(outShape)];
                for (int i = 0; i < want.length; i++) {
                    int[] p = Arr.coords(outShape, i);
                    p[axis] = (int) idx.data[Arr.flat(idx.shape, row(p, idx))];
                    want[i] = src.data[Arr.flat(src.shape, p)];
                }
                return HelperFuzz.expect("out", results[0], outShape, src.type, scope, want, tol);
            }
            double[] ids = new double[src.numel()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = idx.data[Arr.flat(idx.shape, row(Arr.coords(src.shape, i), idx))];
            }
            long n = dimSizeF >= 0 ? dimSizeF : maxPlusOne(idx.data);
            Ref out = reduce(src, ids, axis, n, reduce);
            return HelperFuzz.expect("out", results[0], out.shape, src.type, scope, out.data, tol);
        };
        return c;
    }

    /** The index position of src position p: p's first index.rank() coordinates, broadcast. */
    private static int[] row(int[] p, Arr index) {
        int[] q = new int[index.rank()];
        for (int d = 0; d < q.length; d++) {
            q[d] = index.size(d) == 1 && d < q.length - 1 ? 0 : p[d];
        }
        return q;
    }

    private static String cooInvalid(boolean gather, Arr src, Arr index, long dimSize,
            Reduction reduce) {
        if (!gather && reduce == null) {
            return "reduce null";
        }
        if (!index.type.isInteger()) {
            return "float index";
        }
        if (index.rank() == 0 || index.rank() > src.rank()) {
            return "index rank";
        }
        int ax = index.rank() - 1;
        for (int d = 0; d < ax; d++) {
            if (index.size(d) != src.size(d) && index.size(d) != 1) {
                return "index shape";
            }
        }
        if (!gather && index.size(ax) != src.size(ax)) {
            return "index length";
        }
        long high = gather ? src.size(ax) : (dimSize >= 0 ? dimSize : Long.MAX_VALUE);
        int width = (int) index.size(ax);
        for (int i = 0; i < index.numel(); i++) {
            double v = index.data[i];
            if (v < 0 || v >= high) {
                return "index value " + v;
            }
            if (!gather && i % width > 0 && v < index.data[i - 1]) {
                return "unsorted";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // the reference reductions

    /** A reference result. */
    private static final class Ref {
        final long[] shape;
        final double[] data;

        Ref(long[] shape) {
            this.shape = shape;
            this.data = new double[Arr.numel(shape)];
        }
    }

    /** Per output slot (src's shape with n at axis), the member values in element order. */
    private static List<List<double[]>> members(Arr src, double[] ids, int ax, long n, long[] outShape) {
        List<List<double[]>> slots = new ArrayList<>();
        for (int i = 0; i < Arr.numel(outShape); i++) {
            slots.add(new ArrayList<>());
        }
        for (int i = 0; i < src.numel(); i++) {
            int[] p = Arr.coords(src.shape, i);
            int position = p[ax];
            p[ax] = (int) ids[i];
            if (ids[i] >= 0 && ids[i] < n) {
                slots.get(Arr.flat(outShape, p)).add(new double[] {src.data[i], position});
            }
        }
        return slots;
    }

    private static Ref reduce(Arr src, double[] ids, int ax, long n, Reduction r) {
        long[] outShape = src.shape.clone();
        outShape[ax] = n;
        Ref out = new Ref(outShape);
        List<List<double[]>> slots = members(src, ids, ax, n, outShape);
        boolean integer = !src.type.isFloating();
        for (int i = 0; i < out.data.length; i++) {
            List<double[]> m = slots.get(i);
            double acc = r == Reduction.PROD ? 1 : 0;
            if (!m.isEmpty()) {
                switch (r) {
                    case AMAX:
                        acc = Double.NEGATIVE_INFINITY;
                        for (double[] v : m) {
                            acc = Math.max(acc, v[0]);
                        }
                        break;
                    case AMIN:
                        acc = Double.POSITIVE_INFINITY;
                        for (double[] v : m) {
                            acc = Math.min(acc, v[0]);
                        }
                        break;
                    case PROD:
                        for (double[] v : m) {
                            acc *= v[0];
                        }
                        break;
                    default:
                        for (double[] v : m) {
                            acc += v[0];
                        }
                        if (r == Reduction.MEAN) {
                            acc = integer ? Math.floor(acc / m.size()) : acc / m.size();
                        }
                        break;
                }
            }
            out.data[i] = acc;
        }
        return out;
    }

    private static Ref[] arg(Arr src, double[] ids, int ax, long n, boolean max) {
        long[] outShape = src.shape.clone();
        outShape[ax] = n;
        Ref values = new Ref(outShape);
        Ref arg = new Ref(outShape);
        List<List<double[]>> slots = members(src, ids, ax, n, outShape);
        for (int i = 0; i < values.data.length; i++) {
            arg.data[i] = src.size(ax);
            for (double[] v : slots.get(i)) {
                if (arg.data[i] == src.size(ax) || (max ? v[0] > values.data[i] : v[0] < values.data[i])) {
                    values.data[i] = v[0];
                    arg.data[i] = v[1];
                }
            }
        }
        return new Ref[] {values, arg};
    }

    private static Ref logSumExp(Arr src, double[] ids, int ax, long n) {
        long[] outShape = src.shape.clone();
        outShape[ax] = n;
        Ref out = new Ref(outShape);
        List<List<double[]>> slots = members(src, ids, ax, n, outShape);
        for (int i = 0; i < out.data.length; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (double[] v : slots.get(i)) {
                m = Math.max(m, v[0]);
            }
            double total = 0;
            for (double[] v : slots.get(i)) {
                total += Math.exp(v[0] - m);
            }
            out.data[i] = slots.get(i).isEmpty() ? Double.NEGATIVE_INFINITY : m + Math.log(total);
        }
        return out;
    }

    private static double[] softmax(Arr src, double[] ids, int ax, long n, boolean log) {
        long[] outShape = src.shape.clone();
        outShape[ax] = n;
        List<List<double[]>> slots = members(src, ids, ax, n, outShape);
        double[] out = new double[src.numel()];
        for (int i = 0; i < out.length; i++) {
            int[] p = Arr.coords(src.shape, i);
            p[ax] = (int) ids[i];
            List<double[]> group = slots.get(Arr.flat(outShape, p));
            double m = Double.NEGATIVE_INFINITY;
            for (double[] v : group) {
                m = Math.max(m, v[0]);
            }
            double total = 0;
            for (double[] v : group) {
                total += Math.exp(v[0] - m);
            }
            out[i] = log ? src.data[i] - m - Math.log(total) : Math.exp(src.data[i] - m) / total;
        }
        return out;
    }

    private static long maxPlusOne(double[] values) {
        long max = -1;
        for (double v : values) {
            max = Math.max(max, (long) v);
        }
        return max + 1;
    }

    private static ai.djl.ndarray.NDList arrays(GroupOps.ArgReduced r) {
        return new ai.djl.ndarray.NDList(r.values(), r.arg());
    }
}
