package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Naive loop implementations of the core op family, written from PyTorch's formulas and
 * independent of every DJL op: the oracle the tests compare {@link GatherOps} with.
 *
 * <p>Every op walks the multi-indices of one array in row-major order and applies its formula
 * element by element, e.g. gather along axis 1: {@code out[i][j][k] = input[i][index[i][j][k]][k]}.
 * The reference trusts its arguments (the tests only hand it valid ones) but fails loudly on an
 * index outside an array, so a wrong test case cannot pass silently.
 */
final class Reference {

    private Reference() {}

    /**
     * A tiny dense row-major tensor. Values are doubles: exact for every float32 value and for
     * the small integers the tests use as int64 data and as indices.
     */
    static final class Dense {
        final long[] shape;
        final double[] data;

        Dense(long[] shape, double[] data) {
            if (numel(shape) != data.length) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " holds " + numel(shape)
                                + " values, got " + data.length);
            }
            this.shape = shape.clone();
            this.data = data;
        }

        static Dense zeros(long... shape) {
            return new Dense(shape, new double[Math.toIntExact(numel(shape))]);
        }

        static Dense of(long[] shape, double... data) {
            return new Dense(shape, data.clone());
        }

        /** Reads an NDArray of dtype float32, float64, int32 or int64. */
        static Dense of(NDArray array) {
            long[] shape = array.getShape().getShape();
            double[] data;
            switch (array.getDataType()) {
                case FLOAT64:
                    data = array.toDoubleArray();
                    break;
                case FLOAT32: {
                    float[] values = array.toFloatArray();
                    data = new double[values.length];
                    for (int i = 0; i < values.length; i++) {
                        data[i] = values[i];
                    }
                    break;
                }
                case INT64: {
                    long[] values = array.toLongArray();
                    data = new double[values.length];
                    for (int i = 0; i < values.length; i++) {
                        data[i] = values[i];
                    }
                    break;
                }
                case INT32: {
                    int[] values = array.toIntArray();
                    data = new double[values.length];
                    for (int i = 0; i < values.length; i++) {
                        data[i] = values[i];
                    }
                    break;
                }
                default:
                    throw new IllegalArgumentException("no dense view of " + array.getDataType());
            }
            return new Dense(shape, data);
        }

        /** Creates an NDArray of the given dtype holding these values (exactly, for the tests' values). */
        NDArray toNd(NDManager manager, DataType type) {
            Shape s = new Shape(shape);
            switch (type) {
                case FLOAT64:
                    return manager.create(data.clone(), s);
                case FLOAT32: {
                    float[] values = new float[data.length];
                    for (int i = 0; i < data.length; i++) {
                        values[i] = (float) data[i];
                    }
                    return manager.create(values, s);
                }
                case INT64: {
                    long[] values = new long[data.length];
                    for (int i = 0; i < data.length; i++) {
                        values[i] = integral(data[i]);
                    }
                    return manager.create(values, s);
                }
                case INT32: {
                    int[] values = new int[data.length];
                    for (int i = 0; i < data.length; i++) {
                        values[i] = Math.toIntExact(integral(data[i]));
                    }
                    return manager.create(values, s);
                }
                default:
                    throw new IllegalArgumentException("no NDArray of " + type);
            }
        }

        int rank() {
            return shape.length;
        }

        int size() {
            return data.length;
        }

        /** Row-major offset of a multi-index; fails on a position outside the array. */
        int offset(int[] position) {
            if (position.length != shape.length) {
                throw new IndexOutOfBoundsException(
                        "position " + Arrays.toString(position) + " in shape " + Arrays.toString(shape));
            }
            int offset = 0;
            for (int d = 0; d < shape.length; d++) {
                if (position[d] < 0 || position[d] >= shape[d]) {
                    throw new IndexOutOfBoundsException(
                            "position " + Arrays.toString(position) + " in shape "
                                    + Arrays.toString(shape));
                }
                offset = offset * (int) shape[d] + position[d];
            }
            return offset;
        }

        /** The multi-index of a row-major offset. */
        int[] position(int offset) {
            int[] position = new int[shape.length];
            for (int d = shape.length - 1; d >= 0; d--) {
                position[d] = (int) (offset % shape[d]);
                offset /= (int) shape[d];
            }
            return position;
        }

        double get(int... position) {
            return data[offset(position)];
        }

        void set(int[] position, double value) {
            data[offset(position)] = value;
        }

        Dense copy() {
            return new Dense(shape, data.clone());
        }

        @Override
        public String toString() {
            return "shape " + Arrays.toString(shape) + " " + Arrays.toString(data);
        }
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    private static long integral(double value) {
        long v = (long) value;
        if (v != value) {
            throw new IllegalArgumentException("not an integer: " + value);
        }
        return v;
    }

    /**
     * Calls {@code body} with every multi-index of {@code shape}, in row-major order. The array
     * passed is reused between calls: clone it to keep it.
     */
    static void forEach(long[] shape, Consumer<int[]> body) {
        for (long s : shape) {
            if (s == 0) {
                return;
            }
        }
        int[] position = new int[shape.length];
        while (true) {
            body.accept(position);
            int d = shape.length - 1;
            while (d >= 0) {
                if (++position[d] < shape[d]) {
                    break;
                }
                position[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static int axis(int axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException("reference: axis " + axis + " for rank " + rank);
        }
        return axis < 0 ? axis + rank : axis;
    }

    /** {@code position} with the coordinate on {@code axis} replaced. */
    private static int[] along(int[] position, int axis, double coordinate) {
        int[] moved = position.clone();
        moved[axis] = Math.toIntExact(integral(coordinate));
        return moved;
    }

    // ---------------------------------------------------------------------------------------
    // gather / scatter family: index has the input's rank

    /** out[p] = input[p with p[axis] = index[p]]; out has index's shape. */
    static Dense gather(Dense input, int axis, Dense index) {
        int ax = axis(axis, input.rank());
        Dense out = Dense.zeros(index.shape);
        forEach(index.shape, p -> out.set(p, input.get(along(p, ax, index.get(p)))));
        return out;
    }

    /** out = input; out[p with p[axis] = index[p]] = src[p] for every p of index. */
    static Dense scatter(Dense input, int axis, Dense index, Dense src) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        forEach(index.shape, p -> out.set(along(p, ax, index.get(p)), src.get(p)));
        return out;
    }

    /** out = input; out[p with p[axis] = index[p]] = value for every p of index. */
    static Dense scatter(Dense input, int axis, Dense index, double value) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        forEach(index.shape, p -> out.set(along(p, ax, index.get(p)), value));
        return out;
    }

    /** out = input; out[p with p[axis] = index[p]] += src[p] for every p of index. */
    static Dense scatterAdd(Dense input, int axis, Dense index, Dense src) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        forEach(index.shape, p -> {
            int[] q = along(p, ax, index.get(p));
            out.set(q, out.get(q) + src.get(p));
        });
        return out;
    }

    /**
     * torch.scatter_reduce: every position q of out that receives src values is the reduction of
     * those values (and of input[q] when includeSelf); positions that receive none keep input[q].
     * MEAN divides by the number of reduced values, with floor division for integral dtypes.
     */
    static Dense scatterReduce(Dense input, int axis, Dense index, Dense src, Reduction reduce,
            boolean includeSelf, boolean integral) {
        int ax = axis(axis, input.rank());
        List<List<Double>> received = receivers(input);
        forEach(index.shape, p ->
                received.get(input.offset(along(p, ax, index.get(p)))).add(src.get(p)));
        return reduceInto(input, received, reduce, includeSelf, integral);
    }

    // ---------------------------------------------------------------------------------------
    // index_* family: a 1-D index selects slices along axis

    /** out[p] = input[p with p[axis] = index[p[axis]]]; out is input with size(axis) = len(index). */
    static Dense indexSelect(Dense input, int axis, Dense index) {
        int ax = axis(axis, input.rank());
        long[] shape = input.shape.clone();
        shape[ax] = index.size();
        Dense out = Dense.zeros(shape);
        forEach(shape, p -> out.set(p, input.get(along(p, ax, index.data[p[ax]]))));
        return out;
    }

    /** out = input; out[p with p[axis] = index[p[axis]]] += alpha * src[p] for every p of src. */
    static Dense indexAdd(Dense input, int axis, Dense index, Dense src, double alpha) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        forEach(src.shape, p -> {
            int[] q = along(p, ax, index.data[p[ax]]);
            out.set(q, out.get(q) + alpha * src.get(p));
        });
        return out;
    }

    /** out = input; out[p with p[axis] = index[p[axis]]] = src[p] for every p of src. */
    static Dense indexCopy(Dense input, int axis, Dense index, Dense src) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        forEach(src.shape, p -> out.set(along(p, ax, index.data[p[ax]]), src.get(p)));
        return out;
    }

    /** out = input; every slice at axis position index[i] (negative: + size) is set to value. */
    static Dense indexFill(Dense input, int axis, Dense index, double value) {
        int ax = axis(axis, input.rank());
        Dense out = input.copy();
        forEach(input.shape, p -> {
            for (double i : index.data) {
                long slice = integral(i) < 0 ? integral(i) + input.shape[ax] : integral(i);
                if (p[ax] == slice) {
                    out.set(p, value);
                }
            }
        });
        return out;
    }

    /** torch.index_reduce: as {@link #scatterReduce}, with src[p] sent to p[axis] = index[p[axis]]. */
    static Dense indexReduce(Dense input, int axis, Dense index, Dense src, Reduction reduce,
            boolean includeSelf, boolean integral) {
        int ax = axis(axis, input.rank());
        List<List<Double>> received = receivers(input);
        forEach(src.shape, p ->
                received.get(input.offset(along(p, ax, index.data[p[ax]]))).add(src.get(p)));
        return reduceInto(input, received, reduce, includeSelf, integral);
    }

    // ---------------------------------------------------------------------------------------
    // take_along_dim, take, put

    /**
     * torch.take_along_dim: input and index broadcast against each other in every dimension but
     * axis; out[p] = input[b(p) with axis = index[b'(p)]], where b and b' map p into each
     * array (a size-1 dimension reads position 0). out has index's size on axis.
     */
    static Dense takeAlongAxis(Dense input, Dense index, int axis) {
        int rank = input.rank();
        if (index.rank() != rank) {
            throw new IllegalArgumentException("reference: ranks differ");
        }
        int ax = axis(axis, rank);
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            long a = input.shape[d];
            long b = index.shape[d];
            if (d == ax) {
                shape[d] = b;
            } else if (a == b || b == 1) {
                shape[d] = a;
            } else if (a == 1) {
                shape[d] = b;
            } else {
                throw new IllegalArgumentException("reference: no broadcast at dimension " + d);
            }
        }
        Dense out = Dense.zeros(shape);
        forEach(shape, p -> {
            int[] inIndex = new int[rank];
            int[] inInput = new int[rank];
            for (int d = 0; d < rank; d++) {
                inIndex[d] = index.shape[d] == 1 ? 0 : p[d];
                inInput[d] = input.shape[d] == 1 ? 0 : p[d];
            }
            out.set(p, input.get(along(inInput, ax, index.get(inIndex))));
        });
        return out;
    }

    /** out[p] = flat(input)[index[p]], a negative index counting from the end; out has index's shape. */
    static Dense take(Dense input, Dense index) {
        Dense out = Dense.zeros(index.shape);
        for (int k = 0; k < index.size(); k++) {
            out.data[k] = input.data[flat(index.data[k], input.size())];
        }
        return out;
    }

    /** out = input; flat(out)[index[k]] = src[k] (or += with accumulate), k over flat index and src. */
    static Dense put(Dense input, Dense index, Dense src, boolean accumulate) {
        Dense out = input.copy();
        for (int k = 0; k < index.size(); k++) {
            int j = flat(index.data[k], input.size());
            out.data[j] = accumulate ? out.data[j] + src.data[k] : src.data[k];
        }
        return out;
    }

    private static int flat(double index, int numel) {
        long i = integral(index);
        if (i < -numel || i >= numel) {
            throw new IndexOutOfBoundsException("reference: flat index " + i + " of " + numel);
        }
        return (int) (i < 0 ? i + numel : i);
    }

    // ---------------------------------------------------------------------------------------
    // reductions shared by scatterReduce and indexReduce

    private static List<List<Double>> receivers(Dense input) {
        List<List<Double>> received = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            received.add(new ArrayList<>());
        }
        return received;
    }

    private static Dense reduceInto(Dense input, List<List<Double>> received, Reduction reduce,
            boolean includeSelf, boolean integral) {
        Dense out = input.copy();
        for (int o = 0; o < out.size(); o++) {
            List<Double> values = received.get(o);
            if (values.isEmpty()) {
                continue;
            }
            List<Double> reduced = new ArrayList<>();
            if (includeSelf) {
                reduced.add(input.data[o]);
            }
            reduced.addAll(values);
            out.data[o] = reduce(reduced, reduce, integral);
        }
        return out;
    }

    /** Reduces a non-empty list; MEAN uses floor division for integral dtypes, as torch does. */
    static double reduce(List<Double> values, Reduction reduce, boolean integral) {
        switch (reduce) {
            case SUM: {
                double sum = 0;
                for (double v : values) {
                    sum += v;
                }
                return sum;
            }
            case PROD: {
                double product = 1;
                for (double v : values) {
                    product *= v;
                }
                return product;
            }
            case MEAN: {
                double sum = 0;
                for (double v : values) {
                    sum += v;
                }
                return integral
                        ? Math.floorDiv(integral(sum), (long) values.size())
                        : sum / values.size();
            }
            case AMAX: {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : values) {
                    max = Math.max(max, v);
                }
                return max;
            }
            case AMIN: {
                double min = Double.POSITIVE_INFINITY;
                for (double v : values) {
                    min = Math.min(min, v);
                }
                return min;
            }
            default:
                throw new IllegalArgumentException("reference: reduction " + reduce);
        }
    }
}
