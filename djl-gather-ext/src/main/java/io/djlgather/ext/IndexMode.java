package io.djlgather.ext;

/**
 * What an op does with an index value that names no position (JAX's {@code mode} of
 * {@code .at[]}): raise, clip it into range, drop the update, or read a fill value.
 *
 * <p>Taken as the last argument of the read ops ({@link GatherOps#gather}, {@link
 * GatherOps#takeAlongAxis}, {@link GatherOps#indexSelect}, {@link GatherOps#take}, {@link
 * GatherOps#gatherNd}) and of the write ops ({@link GatherOps#scatter}, {@link
 * GatherOps#scatterAdd}, {@link GatherOps#scatterReduce}, {@link GatherOps#indexAdd}, {@link
 * GatherOps#indexCopy}, {@link GatherOps#put}).
 *
 * <p>Which values are out of range: an op's valid range stays what it is without a mode. For
 * {@code take} and {@code put} (as in PyTorch) a value in {@code [-n, 0)} first counts from the
 * end ({@code v + n}); every other op takes {@code [0, n)} only, so {@code -1} is out of range
 * there. The mode applies to what is left out of range after that.
 *
 * <table>
 *   <caption>Modes and the ops that take them</caption>
 *   <tr><th>mode</th><th>reads</th><th>writes</th></tr>
 *   <tr><td>{@link #ERROR}</td><td>raise</td><td>raise</td></tr>
 *   <tr><td>{@link #CLIP}</td><td>read {@code clamp(v, 0, n-1)}</td>
 *       <td>write at {@code clamp(v, 0, n-1)}</td></tr>
 *   <tr><td>{@link #DROP}</td><td>rejected</td><td>the update is skipped</td></tr>
 *   <tr><td>{@link #fill(double)}</td><td>the fill value</td><td>rejected</td></tr>
 * </table>
 *
 * <p>Under CLIP, DROP and FILL the index is never read back to the host: the mode is applied by
 * tensor ops on the input's device, so no host sync, and the same result on CPU and CUDA. CLIP
 * into an axis of size 0 (with a non-empty index) has no position to clip to and is rejected
 * from the shapes alone. Gradients: a clipped read or write has the gradient of the read or
 * write at the clipped position; a filled read gives {@code input} no gradient; a dropped
 * update gives {@code src} no gradient and leaves the gradient of {@code input} as if the update
 * were absent.
 *
 * <p>Instances are immutable and thread-safe; {@link #ERROR}, {@link #CLIP} and {@link #DROP}
 * are singletons, and two fill modes are equal when their values are (NaN equals NaN).
 */
public final class IndexMode {

    /** The kind of a mode. */
    public enum Kind {
        /** Raise an {@link IllegalArgumentException}, as the ops do without a mode. */
        ERROR,
        /** Clamp each index value into {@code [0, n-1]}. */
        CLIP,
        /** Skip each update whose index value is out of range (writes only). */
        DROP,
        /** Read a fill value where the index value is out of range (reads only). */
        FILL
    }

    /**
     * The default: an out-of-range index value raises an {@link IllegalArgumentException} naming
     * the op, the argument, the valid range and the offending value (the ops without a mode
     * argument behave so).
     */
    public static final IndexMode ERROR = new IndexMode(Kind.ERROR, 0);

    /**
     * Each out-of-range value is clamped into {@code [0, n-1]} (after negatives count from the
     * end where the op allows it): a read reads, a write writes, the nearest end of the axis.
     */
    public static final IndexMode CLIP = new IndexMode(Kind.CLIP, 0);

    /**
     * Writes only: an update whose index value is out of range is skipped; every other update
     * is applied as without a mode. A read rejects it.
     */
    public static final IndexMode DROP = new IndexMode(Kind.DROP, 0);

    private final Kind kind;
    private final double fillValue;

    private IndexMode(Kind kind, double fillValue) {
        this.kind = kind;
        this.fillValue = fillValue;
    }

    /**
     * Reads only: an element read through an out-of-range index value is {@code value}. A write
     * rejects it. For an integer input the value must be integral and fit the input's dtype (checked when the op runs); NaN and infinities are allowed for floating inputs.
     *
     * @param value the fill value
     * @return a FILL mode
     */
    public static IndexMode fill(double value) {
        return new IndexMode(Kind.FILL, value);
    }

    /**
     * Returns the kind of this mode.
     *
     * @return ERROR, CLIP, DROP or FILL
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the fill value of a FILL mode.
     *
     * @return the fill value
     * @throws IllegalStateException if this is not a FILL mode
     */
    public double fillValue() {
        if (kind != Kind.FILL) {
            throw new IllegalStateException("IndexMode: " + kind + " has no fill value");
        }
        return fillValue;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IndexMode)) {
            return false;
        }
        IndexMode other = (IndexMode) o;
        return kind == other.kind && Double.compare(fillValue, other.fillValue) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(fillValue);
    }

    /**
     * Returns the mode's name.
     *
     * @return {@code ERROR}, {@code CLIP}, {@code DROP} or {@code FILL(value)}
     */
    @Override
    public String toString() {
        return kind == Kind.FILL ? "FILL(" + fillValue + ")" : kind.name();
    }
}
