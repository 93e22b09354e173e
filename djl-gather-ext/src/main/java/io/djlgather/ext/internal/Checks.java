package io.djlgather.ext.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;

/**
 * Argument checks shared by every op and helper. Each check is named for the role of the
 * argument, returns what it checked, and fails with one message form:
 *
 * <pre>
 * "&lt;op&gt;: &lt;argument&gt; &lt;problem&gt;; expected &lt;x&gt;, got &lt;y&gt;"
 * </pre>
 *
 * <p>Messages are built in separate methods, so that the checks themselves stay small on the
 * hot path.
 */
public final class Checks {

    private Checks() {}

    /**
     * Fails with the standard message form.
     *
     * @param op the op's Java name, e.g. {@code scatterAdd}
     * @param argument the argument's name, e.g. {@code index}
     * @param problem what is wrong
     * @param expected what was expected
     * @param got what was given
     * @return the exception, not thrown: callers write {@code throw Checks.fail(...)}
     */
    public static IllegalArgumentException fail(
            String op, String argument, String problem, Object expected, Object got) {
        return new IllegalArgumentException(
                op + ": " + argument + " " + problem + "; expected " + expected + ", got " + got);
    }

    /** Checks that an array argument is present and lives in DJL's PyTorch engine. */
    public static PtNDArray array(String op, String argument, NDArray array) {
        if (array instanceof PtNDArray) {
            return (PtNDArray) array;
        }
        throw array == null
                ? fail(op, argument, "is null", "an NDArray", "null")
                : fail(op, argument, "is not a PyTorch engine array",
                        "an NDArray of DJL's PyTorch engine", array.getClass().getName());
    }

    /** Checks that a non-array argument is present. */
    public static <T> T notNull(String op, String argument, T value) {
        if (value == null) {
            throw fail(op, argument, "is null", "a value", "null");
        }
        return value;
    }

    /**
     * Normalizes an axis that may be negative.
     *
     * @return the axis in {@code [0, rank)}; a rank-0 array counts as rank 1, as in PyTorch
     */
    public static int axis(String op, int axis, Shape inputShape) {
        return axis(op, axis, "input", inputShape);
    }

    /**
     * Normalizes an axis that may be negative, read against the named array's shape.
     *
     * @return the axis in {@code [0, rank)}; a rank-0 array counts as rank 1, as in PyTorch
     */
    public static int axis(String op, int axis, String arrayName, Shape shape) {
        int rank = Math.max(shape.dimension(), 1);
        if (axis < -rank || axis >= rank) {
            throw fail(op, "axis", "is out of range for " + arrayName + " of shape " + shape,
                    "an axis in [" + -rank + ", " + rank + ")", axis);
        }
        return axis < 0 ? axis + rank : axis;
    }

    /** Checks that an index array holds int32 or int64. */
    public static PtNDArray index(String op, String argument, NDArray index) {
        PtNDArray checked = array(op, argument, index);
        DataType type = checked.getDataType();
        if (type != DataType.INT64 && type != DataType.INT32) {
            throw fail(op, argument, "must hold integers", "dtype int32 or int64", type);
        }
        return checked;
    }

    /** Checks that an array has the given rank. */
    public static void rank(String op, String argument, NDArray array, int rank) {
        int got = array.getShape().dimension();
        if (got != rank) {
            throw fail(op, argument, "has the wrong rank",
                    "rank " + rank, "rank " + got + " (shape " + array.getShape() + ")");
        }
    }

    /** Checks that two arrays have the same rank (as PyTorch's gather and scatter need). */
    public static void sameRank(
            String op, String argument, NDArray array, String otherName, NDArray other) {
        int rank = array.getShape().dimension();
        int otherRank = other.getShape().dimension();
        if (rank != otherRank) {
            throw fail(op, argument, "must have the same rank as " + otherName,
                    "rank " + otherRank + " (" + otherName + " shape " + other.getShape() + ")",
                    "rank " + rank + " (shape " + array.getShape() + ")");
        }
    }

    /** Checks that a value array has the input's dtype (PyTorch does not cast it). */
    public static void sameDataType(String op, String argument, NDArray array, NDArray input) {
        if (array.getDataType() != input.getDataType()) {
            throw fail(op, argument, "must have input's dtype",
                    input.getDataType(), array.getDataType());
        }
    }

    /** Checks that an index holds at most one dimension (PyTorch's index_* ops). */
    public static void vector(String op, String argument, NDArray index) {
        int rank = index.getShape().dimension();
        if (rank > 1) {
            throw fail(op, argument, "must be a vector", "rank 0 or 1",
                    "rank " + rank + " (shape " + index.getShape() + ")");
        }
    }

    /** Checks that {@code size(d) <= bound(d)} for every dimension d except {@code skip}. */
    public static void fitsWithin(
            String op, String argument, Shape shape, String boundName, Shape bound, int skip) {
        for (int d = 0; d < shape.dimension(); d++) {
            if (d != skip && shape.get(d) > bound.get(d)) {
                throw fail(op, argument, "does not fit in " + boundName + " at dimension " + d,
                        "size(" + d + ") <= " + bound.get(d) + " (" + boundName + " shape "
                                + bound + ")",
                        shape.get(d) + " (shape " + shape + ")");
            }
        }
    }

    /** Checks that two shapes are equal except at dimension {@code skip} (-1: nowhere). */
    public static void sameShapeExcept(
            String op, String argument, Shape shape, String otherName, Shape other, int skip) {
        boolean same = shape.dimension() == other.dimension();
        for (int d = 0; same && d < shape.dimension(); d++) {
            same = d == skip || shape.get(d) == other.get(d);
        }
        if (!same) {
            throw fail(op, argument, "has the wrong shape",
                    "the shape of " + otherName + " " + other
                            + (skip >= 0 ? " except at axis " + skip : ""),
                    shape);
        }
    }

    /**
     * The error for index values outside {@code [low, high)}.
     *
     * @param where e.g. "along axis 1 of size 4"
     */
    public static IllegalArgumentException indexOutOfRange(
            String op, String argument, String where, long low, long high, long min, long max) {
        long bad = min < low ? min : max;
        return fail(op, argument, "is out of range " + where,
                "values in [" + low + ", " + high + ")",
                bad + " (index values span [" + min + ", " + max + "])");
    }
}
