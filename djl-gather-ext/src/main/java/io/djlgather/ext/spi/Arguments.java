package io.djlgather.ext.spi;

import io.djlgather.ext.internal.Checks;

/**
 * The argument errors of djl-gather, for runtimes and other modules whose public methods should
 * fail the way djl-gather's own ops do, with one message form:
 *
 * <pre>
 * "&lt;op&gt;: &lt;argument&gt; &lt;problem&gt;; expected &lt;x&gt;, got &lt;y&gt;"
 * </pre>
 */
public final class Arguments {

    private Arguments() {}

    /**
     * Returns the error in the standard form, for the caller to throw: {@code throw
     * Arguments.fail(...)}.
     *
     * @param op the method's name, e.g. {@code setIndexCheck}
     * @param argument the argument's name, e.g. {@code check}
     * @param problem what is wrong
     * @param expected what was expected
     * @param got what was given
     * @return the exception, not thrown
     */
    public static IllegalArgumentException fail(
            String op, String argument, String problem, Object expected, Object got) {
        return Checks.fail(op, argument, problem, expected, got);
    }

    /**
     * Checks that an argument is present.
     *
     * @param <T> the argument's type
     * @param op the method's name
     * @param argument the argument's name
     * @param value the argument
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is null
     */
    public static <T> T notNull(String op, String argument, T value) {
        return Checks.notNull(op, argument, value);
    }
}
