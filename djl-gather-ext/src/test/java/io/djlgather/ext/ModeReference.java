package io.djlgather.ext;

import io.djlgather.ext.Reference.Dense;
import java.util.ArrayList;
import java.util.List;

/**
 * Naive loops for the ops under an {@link IndexMode}, written from the modes' definitions and
 * independent of every DJL op and of how the library implements them (no padding, no masks):
 *
 * <ul>
 *   <li>CLIP: the index clamped element by element ({@link #clip}), then the plain {@link
 *       Reference} op.
 *   <li>FILL: each output element is read when its index value is in range, else the fill value.
 *   <li>DROP: the plain op's loop with the updates whose index value is out of range skipped.
 * </ul>
 *
 * {@code wrap}: values in {@code [-n, 0)} first count from the end (take and put).
 */
final class ModeReference {

    private ModeReference() {}

    /** The value an index entry names after wrapping, or -1 when it names no position. */
    static long valid(double value, long n, boolean wrap) {
        long v = (long) value;
        if (wrap && v < 0) {
            v += n;
        }
        return v >= 0 && v < n ? v : -1;
    }

    /** The index with every value clamped into [0, n-1] (after wrapping). */
    static Dense clip(Dense index, long n, boolean wrap) {
        Dense out = index.copy();
        for (int i = 0; i < out.size(); i++) {
            long v = (long) out.data[i];
            if (wrap && v < 0) {
                v += n;
            }
            out.data[i] = Math.max(0, Math.min(n - 1, v));
        }
        return out;
    }

    private static int axis(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    private static int[] along(int[] p, int ax, long v) {
        int[] q = p.clone();
        q[ax] = (int) v;
        return q;
    }

    // ---------------------------------------------------------------------------------------
    // FILL reads

    static Dense gatherFill(Dense input, int axis, Dense index, double fill) {
        int ax = axis(axis, input.rank());
        Dense out = Dense.zeros(index.shape);
        Reference.forEach(index.shape, p -> {
            long v = valid(index.get(p), input.shape[ax], false);
            out.set(p, v < 0 ? fill : input.get(along(p, ax, v)));
        });
        return out;
    }

    static Dense takeAlongAxisFill(Dense input, Dense index, int axis, double fill) {
        int rank = input.rank();
        int ax = axis(axis, rank);
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = d == ax ? index.shape[d] : Math.max(input.shape[d], index.shape[d]);
            if (d != ax && (input.shape[d] == 0 || index.shape[d] == 0)) {
                shape[d] = 0;
            }
        }
        Dense out = Dense.zeros(shape);
        Reference.forEach(shape, p -> {
            int[] inIndex = new int[rank];
            int[] inInput = new int[rank];
            for (int d = 0; d < rank; d++) {
                inIndex[d] = index.shape[d] == 1 ? 0 : p[d];
                inInput[d] = input.shape[d] == 1 ? 0 : p[d];
            }
            long v = valid(index.get(inIndex), input.shape[ax], false);
            out.set(p, v < 0 ? fill : input.get(along(inInput, ax, v)));
        });
        return out;
    }

    static Dense indexSelectFill(Dense input, int axis, Dense index, double fill) {
        int ax = axis(axis, input.rank());
        long[] shape = input.shape.clone();
        shape[ax] = index.size();
        Dense out = Dense.zeros(shape);
        Reference.forEach(shape, p -> {
            long v = valid(index.data[p[ax]], input.shape[ax], false);
            out.set(p, v < 0 ? fill : input.get(along(p, ax, v)));
        });
        return out;
    }

    static Dense takeFill(Dense input, Dense index, double fill) {
        Dense out = Dense.zeros(index.shape);
        for (int k = 0; k < index.size(); k++) {
            long v = valid(index.data[k], input.size(), true);
            out.data[k] = v < 0 ? fill : input.data[(int) v];
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // DROP writes

    /** scatter with src (src == null: the value) skipping out-of-range entries. */
    static Dense scatterDrop(Dense input, int axis, Dense index, Dense src, double value) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        Reference.forEach(index.shape, p -> {
            long v = valid(index.get(p), input.shape[ax], false);
            if (v >= 0) {
                out.set(along(p, ax, v), src == null ? value : src.get(p));
            }
        });
        return out;
    }

    static Dense scatterAddDrop(Dense input, int axis, Dense index, Dense src) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        Reference.forEach(index.shape, p -> {
            long v = valid(index.get(p), input.shape[ax], false);
            if (v >= 0) {
                int[] q = along(p, ax, v);
                out.set(q, out.get(q) + src.get(p));
            }
        });
        return out;
    }

    static Dense scatterReduceDrop(Dense input, int axis, Dense index, Dense src,
            Reduction reduce, boolean includeSelf, boolean integral) {
        int ax = axis(axis, input.rank());
        List<List<Double>> received = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            received.add(new ArrayList<>());
        }
        Reference.forEach(index.shape, p -> {
            long v = valid(index.get(p), input.shape[ax], false);
            if (v >= 0) {
                received.get(input.offset(along(p, ax, v))).add(src.get(p));
            }
        });
        Dense out = input.copy();
        for (int o = 0; o < out.size(); o++) {
            if (received.get(o).isEmpty()) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            if (includeSelf) {
                values.add(input.data[o]);
            }
            values.addAll(received.get(o));
            out.data[o] = Reference.reduce(values, reduce, integral);
        }
        return out;
    }

    /** indexAdd (copy: indexCopy) skipping the slices whose index is out of range. */
    static Dense indexWriteDrop(Dense input, int axis, Dense index, Dense src, double alpha,
            boolean copy) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        Reference.forEach(src.shape, p -> {
            long v = valid(index.data[p[ax]], input.shape[ax], false);
            if (v >= 0) {
                int[] q = along(p, ax, v);
                out.set(q, copy ? src.get(p) : out.get(q) + alpha * src.get(p));
            }
        });
        return out;
    }

    static Dense putDrop(Dense input, Dense index, Dense src, boolean accumulate) {
        Dense out = input.copy();
        for (int k = 0; k < index.size(); k++) {
            long v = valid(index.data[k], input.size(), true);
            if (v >= 0) {
                int j = (int) v;
                out.data[j] = accumulate ? out.data[j] + src.data[k] : src.data[k];
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // gatherNd

    /**
     * TensorFlow's gather_nd: out[b..., m..., r...] = input[b..., c_0, ..., c_{k-1}, r...] with
     * c = coords[b..., m..., :]. mode ERROR (every coordinate must be valid), CLIP or FILL.
     */
    static Dense gatherNd(Dense input, Dense coords, int batchDims, IndexMode mode) {
        int rank = coords.rank();
        int k = (int) coords.shape[rank - 1];
        int restRank = input.rank() - batchDims - k;
        long[] shape = new long[rank - 1 + restRank];
        System.arraycopy(coords.shape, 0, shape, 0, rank - 1);
        System.arraycopy(input.shape, batchDims + k, shape, rank - 1, restRank);
        Dense out = Dense.zeros(shape);
        Reference.forEach(shape, p -> {
            int[] at = new int[input.rank()];
            System.arraycopy(p, 0, at, 0, batchDims);
            boolean inRange = true;
            int[] c = new int[rank];
            System.arraycopy(p, 0, c, 0, rank - 1);
            for (int j = 0; j < k; j++) {
                c[rank - 1] = j;
                long v = (long) coords.get(c);
                long size = input.shape[batchDims + j];
                if (v < 0 || v >= size) {
                    if (mode.kind() == IndexMode.Kind.CLIP) {
                        v = Math.max(0, Math.min(size - 1, v));
                    } else if (mode.kind() == IndexMode.Kind.FILL) {
                        inRange = false;
                        v = 0;
                    } else {
                        throw new IndexOutOfBoundsException("reference: coordinate " + v);
                    }
                }
                at[batchDims + j] = (int) v;
            }
            System.arraycopy(p, rank - 1, at, batchDims + k, restRank);
            out.set(p, inRange ? input.get(at) : mode.fillValue());
        });
        return out;
    }
}
