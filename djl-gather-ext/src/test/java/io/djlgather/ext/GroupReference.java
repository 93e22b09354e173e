package io.djlgather.ext;

import io.djlgather.ext.Reference.Dense;
import java.util.ArrayList;
import java.util.List;

/**
 * Naive loop implementations of {@link GroupOps}, written from pytorch_scatter's formulas and the
 * rules in GroupOps' Javadoc, independent of every DJL op: per output slot, the list of src
 * elements of its group in element order, then the reduction written out.
 */
final class GroupReference {

    private GroupReference() {}

    /** The group of every element of src: the index broadcast as pytorch_scatter's. */
    static Dense groupIds(long[] srcShape, Dense index, int axis) {
        int ax = Math.floorMod(axis, srcShape.length);
        Dense ids = Dense.zeros(srcShape);
        Reference.forEach(srcShape, p -> {
            int[] q;
            if (index.rank() == 1 && srcShape.length > 1) {
                q = new int[] {index.shape[0] == 1 ? 0 : p[ax]};
            } else {
                q = new int[index.rank()];
                for (int d = 0; d < q.length; d++) {
                    q[d] = index.shape[d] == 1 ? 0 : p[d];
                }
            }
            ids.set(p, index.get(q));
        });
        return ids;
    }

    /** The number of groups a negative dimSize means: max + 1, 0 when empty. */
    static long dimSize(Dense ids, long dimSize) {
        if (dimSize >= 0) {
            return dimSize;
        }
        long max = -1;
        for (double v : ids.data) {
            max = Math.max(max, (long) v);
        }
        return max + 1;
    }

    /** One group's members: values and positions along the axis, in element order. */
    static final class Members {
        final List<Double> values = new ArrayList<>();
        final List<Integer> positions = new ArrayList<>();
    }

    /** out shape: src's with size at axis; per output slot (row-major) its members. */
    static Members[] members(Dense src, Dense ids, int axis, long groups) {
        int ax = Math.floorMod(axis, src.rank());
        long[] outShape = src.shape.clone();
        outShape[ax] = groups;
        Dense out = Dense.zeros(outShape);
        Members[] slots = new Members[out.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Members();
        }
        Reference.forEach(src.shape, p -> {
            int[] q = p.clone();
            q[ax] = (int) ids.get(p);
            Members m = slots[out.offset(q)];
            m.values.add(src.get(p));
            m.positions.add(p[ax]);
        });
        return slots;
    }

    static long[] outShape(long[] shape, int axis, long size) {
        long[] out = shape.clone();
        out[Math.floorMod(axis, shape.length)] = size;
        return out;
    }

    /** reduce over a group: the rules of GroupOps.scatter (empty 0, PROD 1, integer mean floor). */
    static double reduce(List<Double> values, Reduction reduce, boolean integer) {
        if (values.isEmpty()) {
            return reduce == Reduction.PROD ? 1 : 0;
        }
        double acc;
        switch (reduce) {
            case SUM:
            case MEAN:
                acc = 0;
                for (double v : values) {
                    acc += v;
                }
                if (reduce == Reduction.MEAN) {
                    acc = integer ? Math.floor(acc / values.size()) : acc / values.size();
                }
                return acc;
            case PROD:
                acc = 1;
                for (double v : values) {
                    acc *= v;
                }
                return acc;
            case AMAX:
                acc = Double.NEGATIVE_INFINITY;
                for (double v : values) {
                    acc = Double.isNaN(v) || Double.isNaN(acc) ? Double.NaN : Math.max(acc, v);
                }
                return acc;
            case AMIN:
                acc = Double.POSITIVE_INFINITY;
                for (double v : values) {
                    acc = Double.isNaN(v) || Double.isNaN(acc) ? Double.NaN : Math.min(acc, v);
                }
                return acc;
            default:
                throw new IllegalArgumentException(reduce.toString());
        }
    }

    static Dense scatter(Dense src, Dense ids, int axis, long dimSize, Reduction reduce,
            boolean integer) {
        long groups = dimSize(ids, dimSize);
        Members[] slots = members(src, ids, axis, groups);
        Dense out = Dense.zeros(outShape(src.shape, axis, groups));
        for (int i = 0; i < slots.length; i++) {
            out.data[i] = reduce(slots[i].values, reduce, integer);
        }
        return out;
    }

    /** {values, arg}: the extreme and its lowest position; empty: 0 and src.size(axis). */
    static Dense[] scatterArg(Dense src, Dense ids, int axis, long dimSize, boolean max) {
        long groups = dimSize(ids, dimSize);
        Members[] slots = members(src, ids, axis, groups);
        long[] shape = outShape(src.shape, axis, groups);
        Dense values = Dense.zeros(shape);
        Dense arg = Dense.zeros(shape);
        int n = (int) src.shape[Math.floorMod(axis, src.rank())];
        for (int i = 0; i < slots.length; i++) {
            Members m = slots[i];
            arg.data[i] = n;
            for (int k = 0; k < m.values.size(); k++) {
                double v = m.values.get(k);
                boolean better = arg.data[i] == n
                        || (max ? v > values.data[i] : v < values.data[i]);
                if (better) {
                    values.data[i] = v;
                    arg.data[i] = m.positions.get(k);
                } else if (v == values.data[i] && m.positions.get(k) < arg.data[i]) {
                    arg.data[i] = m.positions.get(k);
                }
            }
        }
        return new Dense[] {values, arg};
    }

    /**
     * Group softmax (log: log-softmax), each element from its own group's members, with the
     * documented rules for infinities and NaN.
     */
    static Dense softmax(Dense src, Dense ids, int axis, boolean log) {
        int ax = Math.floorMod(axis, src.rank());
        long groups = dimSize(ids, -1);
        Members[] slots = members(src, ids, axis, groups);
        long[] outShape = outShape(src.shape, axis, groups);
        Dense slotIndex = Dense.zeros(outShape);
        Dense out = Dense.zeros(src.shape);
        Reference.forEach(src.shape, p -> {
            int[] q = p.clone();
            q[ax] = (int) ids.get(p);
            Members m = slots[slotIndex.offset(q)];
            out.set(p, softmaxOf(src.get(p), m.values, log));
        });
        return out;
    }

    private static double softmaxOf(double x, List<Double> group, boolean log) {
        double m = Double.NEGATIVE_INFINITY;
        int infinite = 0;
        for (double v : group) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.max(m, v);
            if (v == Double.POSITIVE_INFINITY) {
                infinite++;
            }
        }
        if (m == Double.NEGATIVE_INFINITY) {
            return Double.NaN; // every element -inf: no limit
        }
        if (m == Double.POSITIVE_INFINITY) {
            double w = x == Double.POSITIVE_INFINITY ? 1.0 / infinite : 0;
            return log ? Math.log(w) : w;
        }
        double total = 0;
        for (double v : group) {
            total += Math.exp(v - m);
        }
        return log ? (x - m) - Math.log(total) : Math.exp(x - m) / total;
    }

    static Dense logSumExp(Dense src, Dense ids, int axis, long dimSize) {
        long groups = dimSize(ids, dimSize);
        Members[] slots = members(src, ids, axis, groups);
        Dense out = Dense.zeros(outShape(src.shape, axis, groups));
        for (int i = 0; i < slots.length; i++) {
            double m = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (double v : slots[i].values) {
                nan |= Double.isNaN(v);
                m = Math.max(m, v);
            }
            if (nan) {
                out.data[i] = Double.NaN;
            } else if (Double.isInfinite(m)) {
                out.data[i] = m;
            } else {
                double total = 0;
                for (double v : slots[i].values) {
                    total += Math.exp(v - m);
                }
                out.data[i] = m + Math.log(total);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // segments

    /** The group ids a CSR indptr gives src's elements; -1 outside every segment. */
    static Dense csrIds(long[] srcShape, Dense indptr) {
        int ax = indptr.rank() - 1;
        Dense ids = Dense.zeros(srcShape);
        Reference.forEach(srcShape, p -> {
            int[] row = new int[indptr.rank()];
            for (int d = 0; d < ax; d++) {
                row[d] = indptr.shape[d] == 1 ? 0 : p[d];
            }
            double id = -1;
            for (int s = 0; s + 1 < indptr.shape[ax]; s++) {
                row[ax] = s;
                double lo = indptr.get(row);
                row[ax] = s + 1;
                double hi = indptr.get(row);
                if (p[ax] >= lo && p[ax] < hi) {
                    id = s;
                }
            }
            ids.set(p, id);
        });
        return ids;
    }

    /** segmentCsr: the scatter of the elements inside segments; S segments. */
    static Dense segmentCsr(Dense src, Dense indptr, Reduction reduce, boolean integer) {
        int ax = indptr.rank() - 1;
        long segments = indptr.shape[ax] - 1;
        Dense ids = csrIds(src.shape, indptr);
        // elements outside every segment go to an extra group, dropped below
        Dense shifted = ids.copy();
        for (int i = 0; i < shifted.size(); i++) {
            if (shifted.data[i] < 0) {
                shifted.data[i] = segments;
            }
        }
        Dense all = scatter(src, shifted, ax, segments + 1, reduce, integer);
        Dense out = Dense.zeros(outShape(src.shape, ax, segments));
        Reference.forEach(out.shape, p -> out.set(p, all.get(p)));
        return out;
    }

    /** The broadcast (leading size-1 axes expanded) sorted index of segmentCoo, as group ids. */
    static Dense cooIds(long[] srcShape, Dense index) {
        int ax = index.rank() - 1;
        Dense ids = Dense.zeros(srcShape);
        Reference.forEach(srcShape, p -> {
            int[] q = new int[index.rank()];
            for (int d = 0; d <= ax; d++) {
                q[d] = index.shape[d] == 1 && d < ax ? 0 : p[d];
            }
            ids.set(p, index.get(q));
        });
        return ids;
    }

    /** gatherCsr: out[p] = src[segment of p] (0 outside); length L = the largest offset. */
    static Dense gatherCsr(Dense src, Dense indptr) {
        int ax = indptr.rank() - 1;
        long length = 0;
        for (double v : indptr.data) {
            length = Math.max(length, (long) v);
        }
        long[] shape = outShape(src.shape, ax, length);
        Dense ids = csrIds(shape, indptr);
        Dense out = Dense.zeros(shape);
        Reference.forEach(shape, p -> {
            double id = ids.get(p);
            if (id >= 0) {
                int[] q = p.clone();
                q[ax] = (int) id;
                out.set(p, src.get(q));
            }
        });
        return out;
    }

    /** gatherCoo: out[p] = src[p with p[axis] = index[p's row][p[axis]]]. */
    static Dense gatherCoo(Dense src, Dense index) {
        int ax = index.rank() - 1;
        long[] shape = outShape(src.shape, ax, index.shape[ax]);
        Dense out = Dense.zeros(shape);
        Reference.forEach(shape, p -> {
            int[] q = new int[index.rank()];
            for (int d = 0; d <= ax; d++) {
                q[d] = index.shape[d] == 1 && d < ax ? 0 : p[d];
            }
            int[] from = p.clone();
            from[ax] = (int) index.get(q);
            out.set(p, src.get(from));
        });
        return out;
    }
}
