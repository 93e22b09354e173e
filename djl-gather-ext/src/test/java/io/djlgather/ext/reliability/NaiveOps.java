package io.djlgather.ext.reliability;

import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.IndexMode;
import io.djlgather.ext.Reduction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference: PyTorch's argument rules and each op's formula, in plain loops over row-major
 * double arrays. Independent of the code under test (it shares nothing with ext's main tree).
 *
 * <p>{@link #expect(Case)} says whether a call is valid and, if so, what it returns: the shape
 * and, per element, the values it may hold (one value, or several where the op keeps one of
 * several duplicates, unspecified which).
 */
final class NaiveOps {

    /** The case's mode when it passes one other than ERROR; else null (out of range: invalid). */
    private IndexMode mode;

    private NaiveOps() {}

    private Expected of(long[] shape, double[][] options) {
        return new Expected(null, shape, options);
    }

    /**
     * Every index value must lie in [low, high), also those no kernel reads because the input
     * is empty: the ops' contract, and what a device that checks indices first does.
     */
    private void inRange(Arr index, long low, long high) {
        for (double v : index.data) {
            if (mode == null) {
                require(v >= low && v < high, "index value");
            } else {
                at(v, high, low < 0);
            }
        }
    }

    /**
     * The position an index value names along an axis of size n ({@code wrap}: values in
     * [-n, 0) count from the end first): itself when in range; else, under a mode, the clamped
     * value (CLIP) or -1 (DROP: skip the update, FILL: read the fill value). Without a mode an
     * out-of-range value makes the call invalid; so does CLIP into an empty axis.
     */
    private long at(double value, long n, boolean wrap) {
        long i = (long) value;
        if (wrap && i < 0) {
            i += n;
        }
        if (i >= 0 && i < n) {
            return i;
        }
        require(mode != null, "index value");
        if (mode.kind() == IndexMode.Kind.CLIP) {
            require(n > 0, "clip into an empty axis");
            return Math.max(0, Math.min(n - 1, i));
        }
        return -1;
    }

    /** What a call must end in. */
    static final class Expected {
        /** Null when the call is valid; otherwise why it is not. */
        final String invalid;
        final long[] shape;
        final double[][] options;

        private Expected(String invalid, long[] shape, double[][] options) {
            this.invalid = invalid;
            this.shape = shape;
            this.options = options;
        }

        static Expected invalid(String why) {
            return new Expected(why, null, null);
        }
    }

    /** Signals an invalid argument found by the reference. */
    private static final class Invalid extends RuntimeException {
        Invalid(String why) {
            super(why, null, false, false);
        }
    }

    static Expected expect(Case c) {
        try {
            return new NaiveOps().compute(c);
        } catch (Invalid e) {
            return Expected.invalid(e.getMessage());
        }
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new Invalid(why);
        }
    }

    private Expected compute(Case c) {
        Case.Op op = c.op;
        if (c.withMode) {
            require(c.mode != null, "mode null");
            require(!(op.reads() && c.mode.kind() == IndexMode.Kind.DROP), "DROP on a read");
            require(!(!op.reads() && c.mode.kind() == IndexMode.Kind.FILL), "FILL on a write");
            mode = c.mode.kind() == IndexMode.Kind.ERROR ? null : c.mode;
        }
        require(c.input != null, "input null");
        if (mode != null && mode.kind() == IndexMode.Kind.FILL && c.input.type == DataType.INT64) {
            require(mode.fillValue() == Math.rint(mode.fillValue()), "fractional fill value");
        }
        require(c.index != null, "index null");
        require(c.index.type == DataType.INT32 || c.index.type == DataType.INT64, "index dtype");
        if (op.hasSrc()) {
            require(c.src != null, "src null");
        }
        if (op.hasReduce()) {
            require(c.reduce != null, "reduce null");
            require(op != Case.Op.INDEX_REDUCE || c.reduce != Reduction.SUM, "indexReduce SUM");
        }
        Arr in = c.input;
        int ax = 0;
        if (op.hasAxis()) {
            int rank = Math.max(in.rank(), 1);
            require(c.axis >= -rank && c.axis < rank, "axis");
            ax = c.axis < 0 ? c.axis + rank : c.axis;
        }
        switch (op) {
            case GATHER:
                return gather(in, ax, c.index);
            case SCATTER:
            case SCATTER_VALUE:
            case SCATTER_ADD:
            case SCATTER_REDUCE:
                return scatter(c, ax);
            case TAKE_ALONG_AXIS:
                return takeAlongAxis(in, ax, c.index);
            case INDEX_SELECT:
                return indexSelect(in, ax, c.index);
            case INDEX_ADD:
            case INDEX_ADD_ALPHA:
            case INDEX_COPY:
            case INDEX_FILL:
            case INDEX_REDUCE:
                return slices(c, ax);
            case TAKE:
                return take(in, c.index);
            case PUT:
                return put(c);
            default:
                throw new IllegalStateException(op.name());
        }
    }

    // ---------------------------------------------------------------------------------------
    // Per-element ops

    private Expected gather(Arr in, int ax, Arr index) {
        require(index.rank() == in.rank(), "rank");
        fits(index.shape, in.shape, ax);
        long size = in.size(ax);
        double[] out = new double[index.numel()];
        for (int f = 0; f < out.length; f++) {
            int[] p = Arr.coords(index.shape, f);
            long i = at(index.data[f], size, false);
            p[ax] = (int) i;
            out[f] = i < 0 ? fill(in.type) : in.data[Arr.flat(in.shape, p)];
        }
        return single(index.shape, out, in.type);
    }

    private Expected scatter(Case c, int ax) {
        Arr in = c.input;
        Arr index = c.index;
        Arr src = c.src;
        require(index.rank() == in.rank(), "index rank");
        fits(index.shape, in.shape, ax);
        if (c.op != Case.Op.SCATTER_VALUE) {
            require(src.type == in.type, "src dtype");
            require(src.rank() == in.rank(), "src rank");
            fits(index.shape, src.shape, -1);
        }
        double value = 0;
        if (c.op == Case.Op.SCATTER_VALUE) {
            value = scalar(c.scalar, in.type);
        }
        List<List<Double>> landed = landing(in.numel());
        long size = in.size(ax);
        for (int f = 0; f < index.numel(); f++) {
            int[] p = Arr.coords(index.shape, f);
            long i = at(index.data[f], size, false);
            if (i < 0) {
                continue; // dropped
            }
            double v = c.op == Case.Op.SCATTER_VALUE ? value : src.data[Arr.flat(src.shape, p)];
            p[ax] = (int) i;
            landed.get(Arr.flat(in.shape, p)).add(v);
        }
        Reduction reduce;
        boolean includeSelf = true;
        if (c.op == Case.Op.SCATTER_ADD) {
            reduce = Reduction.SUM;
        } else if (c.op == Case.Op.SCATTER_REDUCE) {
            reduce = c.reduce;
            includeSelf = c.flag;
        } else {
            reduce = null; // overwrite: any of the landed values
        }
        return combine(in, landed, reduce, includeSelf);
    }

    private Expected takeAlongAxis(Arr in, int ax, Arr index) {
        require(index.rank() == in.rank(), "rank");
        long[] shape = new long[in.rank()];
        for (int d = 0; d < in.rank(); d++) {
            long a = in.size(d);
            long b = index.size(d);
            if (d == ax) {
                shape[d] = b;
            } else {
                require(a == b || a == 1 || b == 1, "broadcast");
                shape[d] = a == 1 ? b : a;
            }
        }
        double[] out = new double[Arr.numel(shape)];
        for (int f = 0; f < out.length; f++) {
            int[] p = Arr.coords(shape, f);
            int[] q = new int[p.length];
            int[] r = new int[p.length];
            for (int d = 0; d < p.length; d++) {
                q[d] = in.size(d) == 1 ? 0 : p[d];
                r[d] = index.size(d) == 1 ? 0 : p[d];
            }
            r[ax] = p[ax];
            long i = at(index.data[Arr.flat(index.shape, r)], in.size(ax), false);
            q[ax] = (int) i;
            out[f] = i < 0 ? fill(in.type) : in.data[Arr.flat(in.shape, q)];
        }
        inRange(index, 0, in.size(ax));
        return single(shape, out, in.type);
    }

    // ---------------------------------------------------------------------------------------
    // Whole-slice ops

    private Expected indexSelect(Arr in, int ax, Arr index) {
        require(index.rank() <= 1, "index rank");
        long[] shape = in.shape.clone();
        shape[ax] = index.numel();
        double[] out = new double[Arr.numel(shape)];
        for (int f = 0; f < out.length; f++) {
            int[] p = Arr.coords(shape, f);
            long i = at(index.data[p[ax]], in.size(ax), false);
            p[ax] = (int) i;
            out[f] = i < 0 ? fill(in.type) : in.data[Arr.flat(in.shape, p)];
        }
        inRange(index, 0, in.size(ax));
        return single(shape, out, in.type);
    }

    private Expected slices(Case c, int ax) {
        Arr in = c.input;
        Arr index = c.index;
        Arr src = c.src;
        require(index.rank() <= 1, "index rank");
        long size = in.size(ax);
        long low = c.op == Case.Op.INDEX_FILL ? -size : 0;
        inRange(index, low, size);
        if (c.op != Case.Op.INDEX_FILL) {
            require(src.type == in.type, "src dtype");
            require(src.rank() == in.rank(), "src rank");
            long[] want = in.shape.clone();
            want[ax] = index.numel();
            require(Arrays.equals(want, src.shape), "src shape");
        }
        double value = c.op.hasScalar() ? scalar(c.scalar, in.type) : 1;
        List<List<Double>> landed = landing(in.numel());
        if (c.op == Case.Op.INDEX_FILL) {
            for (int f = 0; f < in.numel(); f++) {
                int[] p = Arr.coords(in.shape, f);
                for (double v : index.data) {
                    long i = (long) v;
                    if ((i < 0 ? i + size : i) == p[ax]) {
                        landed.get(f).add(value);
                    }
                }
            }
            return combine(in, landed, null, true);
        }
        for (int f = 0; f < src.numel(); f++) {
            int[] p = Arr.coords(src.shape, f);
            double v = src.data[f] * value;
            long i = at(index.data[p[ax]], size, false);
            if (i < 0) {
                continue; // dropped
            }
            p[ax] = (int) i;
            landed.get(Arr.flat(in.shape, p)).add(v);
        }
        switch (c.op) {
            case INDEX_ADD:
            case INDEX_ADD_ALPHA:
                return combine(in, landed, Reduction.SUM, true);
            case INDEX_COPY:
                return combine(in, landed, null, true);
            default:
                return combine(in, landed, c.reduce, c.flag);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Flattened ops

    private Expected take(Arr in, Arr index) {
        int n = in.numel();
        double[] out = new double[index.numel()];
        for (int f = 0; f < out.length; f++) {
            long i = at(index.data[f], n, true);
            out[f] = i < 0 ? fill(in.type) : in.data[(int) i];
        }
        return single(index.shape, out, in.type);
    }

    private Expected put(Case c) {
        Arr in = c.input;
        Arr index = c.index;
        Arr src = c.src;
        require(src.type == in.type, "src dtype");
        require(src.numel() == index.numel(), "src size");
        int n = in.numel();
        List<List<Double>> landed = landing(n);
        for (int f = 0; f < index.numel(); f++) {
            long i = at(index.data[f], n, true);
            if (i >= 0) {
                landed.get((int) i).add(src.data[f]);
            }
        }
        return combine(in, landed, c.flag ? Reduction.SUM : null, true);
    }

    // ---------------------------------------------------------------------------------------
    // Shared pieces

    /** index.size(d) <= bound.size(d) for every d but skip. */
    private static void fits(long[] shape, long[] bound, int skip) {
        for (int d = 0; d < shape.length; d++) {
            require(d == skip || shape[d] <= bound[d], "shape fit");
        }
    }

    /** A scalar argument as the array's dtype holds it (the rules of the op's docs). */
    private static double scalar(Number value, DataType type) {
        require(value != null, "scalar null");
        if (type == DataType.INT64) {
            if (value instanceof Double || value instanceof Float) {
                double d = value.doubleValue();
                require(d == Math.rint(d) && !Double.isInfinite(d), "fractional scalar");
                return d;
            }
            return value.longValue();
        }
        double d = value.doubleValue();
        return type == DataType.FLOAT32 ? (float) d : d;
    }

    /** A FILL mode's value as the dtype holds it. */
    private double fill(DataType type) {
        double v = mode.fillValue();
        return type == DataType.FLOAT32 ? (float) v : v;
    }

    private static List<List<Double>> landing(int n) {
        List<List<Double>> landed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            landed.add(new ArrayList<>(2));
        }
        return landed;
    }

    /**
     * The output for the values landed on each input position: positions nothing lands on keep
     * the input's value; others are reduced (null: overwritten by any one landed value).
     */
    private Expected combine(
            Arr in, List<List<Double>> landed, Reduction reduce, boolean includeSelf) {
        double[][] options = new double[in.numel()][];
        boolean integer = in.type == DataType.INT64;
        for (int f = 0; f < options.length; f++) {
            List<Double> values = landed.get(f);
            double self = in.data[f];
            if (values.isEmpty()) {
                options[f] = new double[] {self};
                continue;
            }
            if (reduce == null) {
                options[f] = values.stream().mapToDouble(Double::doubleValue).distinct().toArray();
                continue;
            }
            List<Double> all = new ArrayList<>(values);
            if (includeSelf) {
                all.add(self);
            }
            double r;
            switch (reduce) {
                case SUM:
                    r = all.stream().mapToDouble(Double::doubleValue).sum();
                    break;
                case PROD:
                    r = 1;
                    for (double v : all) {
                        r *= v;
                    }
                    break;
                case MEAN: {
                    double sum = all.stream().mapToDouble(Double::doubleValue).sum();
                    r = integer ? Math.floorDiv((long) sum, (long) all.size()) : sum / all.size();
                    break;
                }
                case AMAX:
                    r = all.stream().mapToDouble(Double::doubleValue).max().getAsDouble();
                    break;
                case AMIN:
                    r = all.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
                    break;
                default:
                    throw new IllegalStateException(reduce.name());
            }
            options[f] = new double[] {r};
        }
        return of(in.shape, options);
    }

    private Expected single(long[] shape, double[] out, DataType type) {
        double[][] options = new double[out.length][];
        for (int i = 0; i < out.length; i++) {
            options[i] = new double[] {out[i]};
        }
        return of(shape, options);
    }

    /** Whether a computed value matches an expected one at the dtype's precision. */
    static boolean close(double got, double want, DataType type) {
        if (type == DataType.INT64 || type == DataType.INT32) {
            return got == want;
        }
        double tol = type == DataType.FLOAT32 ? 1e-6 : 1e-12;
        return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
    }
}
