package io.djlgather.cuda;

import io.djlgather.ext.spi.Arguments;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policies of djl-gather's ops on CUDA arrays: the {@link IndexCheck} and deterministic
 * sums. Each has a process-wide default and a per-thread override for a scope.
 *
 * <p>Process-wide defaults come from system properties and can be changed at any time:
 *
 * <pre>
 * -Ddjlgather.cuda.indexCheck=CHECKED|TRUSTED     (default CHECKED; case ignored)
 * -Ddjlgather.cuda.deterministic=true|false       (default false)
 * </pre>
 *
 * <p>The index check property is read when the index check is first asked for, not at class
 * load: a value that names no {@link IndexCheck} then fails that call (and every later one until
 * the property or {@link #setIndexCheck} fixes it) with an {@link IllegalStateException} that
 * names the property, the value and the allowed values, instead of leaving the class unusable.
 *
 * <p>A scope overrides the default for the current thread until it is closed, and restores the
 * setting it replaced; scopes nest:
 *
 * <pre>{@code
 * try (CudaPolicies.Scope trusted = CudaPolicies.indexCheck(IndexCheck.TRUSTED);
 *         CudaPolicies.Scope det = CudaPolicies.deterministic(true)) {
 *     NDArray sums = GatherOps.scatterAdd(input, 0, index, src); // no sync, bit-identical
 * }
 * }</pre>
 *
 * <p>Scoped settings are per thread: work handed to another thread (an executor, a parallel
 * stream) sees that thread's settings, by default the process-wide ones. All methods are
 * thread-safe. The policies apply to devices governed by {@link CudaGatherRuntime} (CUDA devices
 * when this module is on the classpath); ops on CPU arrays do not read them.
 */
public final class CudaPolicies {

    /** The system property that sets the default {@link IndexCheck}. */
    static final String INDEX_CHECK_PROPERTY = "djlgather.cuda.indexCheck";

    /** The process-wide default index check; null until set or read from the property. */
    private static final AtomicReference<IndexCheck> DEFAULT_INDEX_CHECK = new AtomicReference<>();
    private static volatile boolean defaultDeterministic =
            Boolean.getBoolean("djlgather.cuda.deterministic");

    private static final ThreadLocal<IndexCheck> SCOPED_INDEX_CHECK = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> SCOPED_DETERMINISTIC = new ThreadLocal<>();

    private CudaPolicies() {}

    // ---------------------------------------------------------------------------------------
    // Index checks

    /**
     * The index check in force on the current thread: the innermost open scope's, else the
     * process-wide default.
     *
     * @return the index check
     * @throws IllegalStateException if no default has been set and the system property {@value
     *     #INDEX_CHECK_PROPERTY} names no {@link IndexCheck}
     */
    public static IndexCheck getIndexCheck() {
        IndexCheck scoped = SCOPED_INDEX_CHECK.get();
        if (scoped != null) {
            return scoped;
        }
        IndexCheck current = DEFAULT_INDEX_CHECK.get();
        if (current != null) {
            return current;
        }
        // Cached only once parsed; a setIndexCheck that raced ahead of us wins.
        DEFAULT_INDEX_CHECK.compareAndSet(null, indexCheckFromProperty());
        return DEFAULT_INDEX_CHECK.get();
    }

    /**
     * Reads the system property {@value #INDEX_CHECK_PROPERTY}: CHECKED when it is not set.
     *
     * @return the index check it names
     * @throws IllegalStateException if it names no {@link IndexCheck}
     */
    static IndexCheck indexCheckFromProperty() {
        String value = System.getProperty(INDEX_CHECK_PROPERTY);
        if (value == null) {
            return IndexCheck.CHECKED;
        }
        try {
            return IndexCheck.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "CudaPolicies: system property " + INDEX_CHECK_PROPERTY
                            + " names no index check; expected one of "
                            + Arrays.toString(IndexCheck.values()) + ", got '" + value + "'",
                    e);
        }
    }

    /**
     * Sets the process-wide default index check (threads inside a scope keep the scope's).
     *
     * @param check the new default
     * @throws IllegalArgumentException if {@code check} is null
     */
    public static void setIndexCheck(IndexCheck check) {
        DEFAULT_INDEX_CHECK.set(Arguments.notNull("setIndexCheck", "check", check));
    }

    /**
     * Sets the index check of the current thread until the returned scope is closed.
     *
     * @param check the index check inside the scope
     * @return the scope; close it on the same thread (try-with-resources)
     * @throws IllegalArgumentException if {@code check} is null
     */
    public static Scope indexCheck(IndexCheck check) {
        Arguments.notNull("indexCheck", "check", check);
        return new Scope(SCOPED_INDEX_CHECK, check);
    }

    // ---------------------------------------------------------------------------------------
    // Deterministic sums

    /**
     * Whether sums (scatterAdd, scatterReduce with SUM or MEAN, indexAdd, put with accumulation) run the deterministic,
     * sort-based implementation on the current thread: the innermost open scope's setting,
     * else the process-wide default.
     *
     * <p>Deterministic mode (op library methods {@code *_det*}): each source element's flat
     * target position is computed, the positions are stably sorted (one answer for int64 keys)
     * and each group is summed by {@code torch.segment_reduce}, one thread block per group with
     * a fixed reduction tree: no atomic float add, so float32/float64/half results are
     * bit-identical from run to run on the same device and PyTorch build. On CPU the same order
     * comes from a serial 1-D scatter. Values equal the default mode's to float rounding (not
     * bit for bit), gradients likewise; integer dtypes are exact in both modes. It adds no host
     * sync; it costs extra passes over the data (measured in the module README).
     *
     * @return true for bit-identical sums from run to run
     */
    public static boolean isDeterministic() {
        Boolean scoped = SCOPED_DETERMINISTIC.get();
        return scoped != null ? scoped : defaultDeterministic;
    }

    /**
     * Sets the process-wide default for deterministic sums (threads inside a scope keep the
     * scope's).
     *
     * @param deterministic true for bit-identical sums, at some cost
     */
    public static void setDeterministic(boolean deterministic) {
        defaultDeterministic = deterministic;
    }

    /**
     * Sets deterministic sums on or off for the current thread until the returned scope is
     * closed.
     *
     * @param deterministic the setting inside the scope
     * @return the scope; close it on the same thread (try-with-resources)
     */
    public static Scope deterministic(boolean deterministic) {
        return new Scope(SCOPED_DETERMINISTIC, deterministic);
    }

    /**
     * A per-thread setting in force until {@link #close()}, which restores the setting it
     * replaced. Closing twice does nothing.
     */
    public static final class Scope implements AutoCloseable {

        private final ThreadLocal<Object> slot;
        private final Object previous;
        private final Thread owner;
        private boolean closed;

        @SuppressWarnings("unchecked")
        private <T> Scope(ThreadLocal<T> slot, T value) {
            this.slot = (ThreadLocal<Object>) slot;
            this.previous = slot.get();
            this.owner = Thread.currentThread();
            slot.set(value);
        }

        /**
         * Restores the setting that was in force on this thread when the scope opened.
         *
         * @throws IllegalStateException if called on another thread than the one that opened
         *     the scope
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException(
                        "CudaPolicies.Scope: close must run on the thread that opened the scope;"
                                + " expected " + owner.getName() + ", got "
                                + Thread.currentThread().getName());
            }
            closed = true;
            if (previous == null) {
                slot.remove(); // no leftover entry in a pooled thread
            } else {
                slot.set(previous);
            }
        }
    }
}
