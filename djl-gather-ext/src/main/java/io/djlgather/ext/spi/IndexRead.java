package io.djlgather.ext.spi;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpLibrary;

/**
 * An index about to be read by a kernel, with the range its values must lie in.
 *
 * <p>Given to {@link GatherRuntime#beforeIndexRead(IndexRead)}; the runtime decides whether to
 * {@link #check()} it. The same object explains a kernel's failure afterwards ({@link
 * #explain(EngineException)}), so both paths give the same message.
 */
public final class IndexRead {

    private final String op;
    private final String argument;
    private final NDArray index;
    private final long low;
    private final long high;
    private final int axis;

    /**
     * Describes an index read.
     *
     * @param op the op's Java name
     * @param argument the index argument's name
     * @param index the index, int64 (int32 for kernels that read int32 themselves), on the
     *     input's device
     * @param low the smallest valid value
     * @param high one past the largest valid value
     * @param axis the input axis the values point along, or -1 for the flattened input
     */
    public IndexRead(String op, String argument, NDArray index, long low, long high, int axis) {
        this.op = op;
        this.argument = argument;
        this.index = index;
        this.low = low;
        this.high = high;
        this.axis = axis;
    }

    /**
     * Returns the op's Java name.
     *
     * @return e.g. {@code gather}
     */
    public String getOp() {
        return op;
    }

    /**
     * Returns the index argument's name.
     *
     * @return e.g. {@code index}
     */
    public String getArgument() {
        return argument;
    }

    /**
     * Returns the index.
     *
     * @return the index, int64 (int32 for kernels that read int32 themselves), on the input's
     *     device
     */
    public NDArray getIndex() {
        return index;
    }

    /**
     * Returns the smallest valid index value.
     *
     * @return the inclusive lower bound
     */
    public long getLow() {
        return low;
    }

    /**
     * Returns one past the largest valid index value.
     *
     * @return the exclusive upper bound
     */
    public long getHigh() {
        return high;
    }

    /**
     * Checks every value of the index with one fused min/max reduction on the index's device and
     * a single host sync.
     *
     * @throws IllegalArgumentException naming the op, the argument, the valid range and the
     *     first offending extreme
     */
    public void check() {
        if (index.isEmpty()) {
            return;
        }
        long[] bounds = bounds();
        if (bounds[0] < low || bounds[1] >= high) {
            throw Checks.indexOutOfRange(op, argument, where(), low, high, bounds[0], bounds[1]);
        }
    }

    /**
     * Turns a kernel's failure into the op's error: an {@link IllegalArgumentException} when the
     * index is out of range, else the original exception (for example out of memory).
     *
     * @param failure what the kernel threw
     * @return the exception to throw
     */
    public RuntimeException explain(EngineException failure) {
        if (!index.isEmpty()) {
            long[] bounds;
            try {
                bounds = bounds();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
                return failure;
            }
            if (bounds[0] < low || bounds[1] >= high) {
                IllegalArgumentException error =
                        Checks.indexOutOfRange(op, argument, where(), low, high, bounds[0], bounds[1]);
                error.initCause(failure);
                return error;
            }
        }
        return failure;
    }

    private String where() {
        return axis >= 0 ? "along axis " + axis : "into the flattened input";
    }

    private long[] bounds() {
        try (NDArray bounds =
                OpLibrary.forDevice(index.getDevice())
                        .run("index_bounds", index.getManager(), index)) {
            return bounds.toLongArray();
        }
    }
}
