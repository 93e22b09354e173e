package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.Reference.Dense;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the op tests share: the case tables, seeded random arrays and indices, the one tolerance
 * per dtype, and the check that inputs come out of a call unchanged.
 */
final class Support {

    private Support() {}

    static final DataType[] DATA_TYPES = {DataType.FLOAT32, DataType.FLOAT64, DataType.INT64};
    static final DataType[] INDEX_TYPES = {DataType.INT32, DataType.INT64};

    // ---------------------------------------------------------------------------------------
    // Case tables

    /**
     * Every rank 1 to 4 with every valid axis, negative ones included, crossed with the data
     * dtypes; the index dtype alternates so that each data dtype meets both index dtypes.
     * Arguments: rank, axis, data dtype, index dtype.
     */
    static Stream<Arguments> axisCases() {
        List<Arguments> cases = new ArrayList<>();
        int k = 0;
        for (int rank = 1; rank <= 4; rank++) {
            for (int axis = -rank; axis < rank; axis++) {
                for (DataType type : DATA_TYPES) {
                    cases.add(Arguments.of(rank, axis, type, INDEX_TYPES[k++ % 2]));
                }
            }
        }
        return cases.stream();
    }

    /** Ranks 1 to 4 crossed with data dtypes and index dtypes. Arguments: rank, data dtype, index dtype. */
    static Stream<Arguments> rankCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int rank = 1; rank <= 4; rank++) {
            for (DataType type : DATA_TYPES) {
                for (DataType indexType : INDEX_TYPES) {
                    cases.add(Arguments.of(rank, type, indexType));
                }
            }
        }
        return cases.stream();
    }

    /** A generator whose seed depends only on the case, so a failure replays exactly. */
    static Random random(String op, Object... parts) {
        StringBuilder key = new StringBuilder(op);
        for (Object part : parts) {
            key.append('/').append(part);
        }
        return new Random(key.toString().hashCode());
    }

    // ---------------------------------------------------------------------------------------
    // Random arrays

    /** A shape of the given rank with each size in [min, max]. */
    static long[] shape(Random random, int rank, int min, int max) {
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = min + random.nextInt(max - min + 1);
        }
        return shape;
    }

    /**
     * Random values in [-5, 5]. float32 values are multiples of 1/16, so that float32 sums of a
     * few of them are exact and only products and means round; int64 values are integers in
     * [-9, 9], so that products of a handful stay exact in a double.
     */
    static Dense data(Random random, DataType type, long... shape) {
        Dense d = Dense.zeros(shape);
        for (int i = 0; i < d.size(); i++) {
            switch (type) {
                case FLOAT32:
                    d.data[i] = (random.nextInt(161) - 80) / 16.0;
                    break;
                case FLOAT64:
                    d.data[i] = random.nextDouble() * 10 - 5;
                    break;
                case INT64:
                case INT32:
                    d.data[i] = random.nextInt(19) - 9;
                    break;
                default:
                    throw new IllegalArgumentException("no random data of " + type);
            }
        }
        return d;
    }

    /**
     * Pairwise distinct values (gaps of at least 1.5 / count, far above a finite-difference
     * step), magnitudes in [0.5, 2] and random signs: no ties for amax/amin, no zeros for prod.
     * {@code shapes} share one pool, so values are distinct across all returned arrays too.
     */
    static Dense[] distinct(Random random, long[]... shapes) {
        int count = 0;
        for (long[] shape : shapes) {
            count += (int) Reference.numel(shape);
        }
        List<Double> pool = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            double magnitude = 0.5 + 1.5 * j / Math.max(1, count);
            pool.add(random.nextBoolean() ? magnitude : -magnitude);
        }
        java.util.Collections.shuffle(pool, random);
        Dense[] out = new Dense[shapes.length];
        int next = 0;
        for (int s = 0; s < shapes.length; s++) {
            out[s] = Dense.zeros(shapes[s]);
            for (int i = 0; i < out[s].size(); i++) {
                out[s].data[i] = pool.get(next++);
            }
        }
        return out;
    }

    /** Index values drawn uniformly from [low, high) (duplicates likely). */
    static Dense index(Random random, long low, long high, long... shape) {
        Dense d = Dense.zeros(shape);
        for (int i = 0; i < d.size(); i++) {
            d.data[i] = low + random.nextInt((int) (high - low));
        }
        return d;
    }

    /**
     * An index whose values are distinct along {@code axis} within every fiber (the positions
     * that share all other coordinates), drawn from [0, bound): what scatter needs to be
     * deterministic. Requires shape[axis] <= bound.
     */
    static Dense uniqueAlong(Random random, int axis, long bound, long... shape) {
        if (shape[axis] > bound) {
            throw new IllegalArgumentException("cannot draw " + shape[axis] + " distinct values below " + bound);
        }
        Dense d = Dense.zeros(shape);
        long[] fibers = shape.clone();
        fibers[axis] = 1;
        Reference.forEach(fibers, base -> {
            int[] permutation = permutation(random, (int) bound);
            int[] p = base.clone();
            for (int i = 0; i < shape[axis]; i++) {
                p[axis] = i;
                d.set(p, permutation[i]);
            }
        });
        return d;
    }

    /** A random permutation of [0, n). */
    static int[] permutation(Random random, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    // ---------------------------------------------------------------------------------------
    // Comparisons

    /**
     * The one tolerance per dtype: float32 1e-5 and float64 1e-12, both relative to the
     * expected value's magnitude once it exceeds 1 (absolute below); integer dtypes exact.
     */
    static double tolerance(DataType type, double expected) {
        switch (type) {
            case FLOAT32:
                return 1e-5 * Math.max(1, Math.abs(expected));
            case FLOAT64:
                return 1e-12 * Math.max(1, Math.abs(expected));
            default:
                return 0;
        }
    }

    /** Checks an op's result: a new array on the input's device, with input's dtype, the expected shape and values. */
    /** An op on (input, index, src). */
    interface SrcOp {
        NDArray apply(NDArray input, NDArray index, NDArray src);
    }

    /**
     * Makes input, index and src arrays from their values, runs the op, asserts its result
     * against {@code expected} and that no argument changed.
     */
    static void checkSrcOp(NDManager parent, String context, Dense expected, Dense x, Dense idx,
            Dense src, DataType type, DataType indexType, SrcOp op) {
        String ctx = context + " input " + x + " index " + idx + " src " + src;
        try (NDManager m = parent.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            NDArray sNd = src.toNd(m, type);
            Snapshot before = new Snapshot(xNd, iNd, sNd);
            assertResult(expected, op.apply(xNd, iNd, sNd), xNd, ctx);
            before.assertUnchanged(ctx);
        }
    }

    static void assertResult(Dense expected, NDArray actual, NDArray input, String context) {
        assertNotSame(input, actual, context + ": the result must be a new array");
        assertEquals(input.getDevice(), actual.getDevice(), context + ": device");
        assertValues(expected, actual, input.getDataType(), context);
    }

    /** Checks dtype, shape and values (within {@link #tolerance}). */
    static void assertValues(Dense expected, NDArray actual, DataType type, String context) {
        assertEquals(type, actual.getDataType(), context + ": dtype");
        assertArrayEquals(expected.shape, actual.getShape().getShape(),
                () -> context + ": shape; expected " + Arrays.toString(expected.shape) + ", got "
                        + actual.getShape());
        Dense got = Dense.of(actual);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.data[i];
            double g = got.data[i];
            if (!(Math.abs(e - g) <= tolerance(type, e)) && !(Double.isNaN(e) && Double.isNaN(g))) {
                fail(context + ": at " + Arrays.toString(expected.position(i)) + " expected " + e
                        + " but got " + g + "\n  expected " + expected + "\n  got      " + got);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Inputs stay unchanged

    /** The contents of some arrays at one moment, to check later that a call did not change them. */
    static final class Snapshot {
        private final List<NDArray> arrays = new ArrayList<>();
        private final List<Shape> shapes = new ArrayList<>();
        private final List<DataType> types = new ArrayList<>();
        private final List<byte[]> contents = new ArrayList<>();

        Snapshot(NDArray... arrays) {
            for (NDArray a : arrays) {
                add(a);
            }
        }

        /** Records one more array; a null is ignored (for calls that pass null on purpose). */
        void add(NDArray a) {
            if (a == null) {
                return;
            }
            arrays.add(a);
            shapes.add(a.getShape());
            types.add(a.getDataType());
            contents.add(a.toByteArray().clone());
        }

        void assertUnchanged(String context) {
            for (int i = 0; i < arrays.size(); i++) {
                NDArray a = arrays.get(i);
                String which = context + ": argument " + i + " (" + shapes.get(i) + " " + types.get(i) + ")";
                assertEquals(shapes.get(i), a.getShape(), which + " changed shape");
                assertEquals(types.get(i), a.getDataType(), which + " changed dtype");
                assertArrayEquals(contents.get(i), a.toByteArray(), which + " changed contents");
            }
        }
    }
}
