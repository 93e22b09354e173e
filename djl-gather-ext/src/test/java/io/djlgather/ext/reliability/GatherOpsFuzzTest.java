package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Random calls of every {@link io.djlgather.ext.GatherOps} op, valid and invalid. Each call must
 * end either in the reference's result or, when the reference says the arguments are invalid, in
 * an {@link IllegalArgumentException} of the form {@code "<op>: <argument> ...; expected ...,
 * got ..."}; any other exception type fails, and no argument may change.
 *
 * <p>CI runs {@value #DEFAULT_CASES} cases of a fixed seed. Long runs: {@code
 * -Ddjlgather.reliability.cases=200000} (and {@code -Ddjlgather.reliability.seed=...}).
 */
class GatherOpsFuzzTest {

    static final long DEFAULT_SEED = 20_250_611L;
    static final int DEFAULT_CASES = 6_000;

    /** The names an error message may start with after {@code "<op>: "}. */
    private static final List<String> ARGUMENTS =
            List.of("input", "index", "src", "axis", "value", "alpha", "reduce", "mode");

    @Test
    void everyOpMatchesTheReferenceOrFailsWithItsOwnError() {
        long seed = Long.getLong("djlgather.reliability.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("djlgather.reliability.cases", DEFAULT_CASES);
        CaseGenerator generator = new CaseGenerator(seed, 0.45);
        Map<Case.Op, int[]> perOp = new EnumMap<>(Case.Op.class); // {valid, rejected}
        List<String> failures = new ArrayList<>();
        int valid = 0;
        int rejected = 0;
        long start = System.nanoTime();
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            for (long i = 0; i < cases; i++) {
                Case c = generator.generate(i);
                NaiveOps.Expected expected = NaiveOps.expect(c);
                String failure;
                try (NDManager scope = base.newSubManager()) {
                    Outcome outcome = run(c, expected, scope);
                    failure = outcome.failure;
                    if (failure == null) {
                        int[] counts = perOp.computeIfAbsent(c.op, k -> new int[2]);
                        counts[outcome.rejected ? 1 : 0]++;
                        if (outcome.rejected) {
                            rejected++;
                        } else {
                            valid++;
                        }
                    }
                }
                if (failure != null) {
                    failures.add("seed " + seed + " case " + i + ": " + c + "\n    " + failure);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder ops = new StringBuilder();
        perOp.forEach((op, n) -> ops.append(' ').append(op).append('=').append(n[0]).append('/')
                .append(n[1]));
        System.out.printf(
                "reliability: fuzz seed=%d cases=%d ops=%d matched-reference=%d"
                        + " rejected-with-IAE=%d failures=%d"
                        + " (other-exception-types=%d) jvm-crashes=0 time=%.1fs;%s"
                        + " (valid/rejected)%n",
                seed, cases, Case.Op.values().length, valid, rejected, failures.size(),
                failures.stream().filter(f -> f.contains("\n    threw ")).count(), seconds, ops);
        failures.stream().limit(25).forEach(f -> System.out.println("reliability: FAIL " + f));
        assertEquals(0, failures.size(), () -> failures.size() + " failing cases; first: "
                + failures.get(0));
        assertTrue(valid > cases / 3 && rejected > cases / 5,
                "the generator should give both outcomes often: " + valid + " / " + rejected);
    }

    /** How one case ended. */
    static final class Outcome {
        /** Null when the case passed. */
        final String failure;
        final boolean rejected;

        Outcome(String failure, boolean rejected) {
            this.failure = failure;
            this.rejected = rejected;
        }
    }

    /** Runs one case in the scope and judges it against the reference. */
    static Outcome run(Case c, NaiveOps.Expected expected, NDManager scope) {
        NDArray[] args = c.create(scope);
        byte[][] before = contents(args);
        NDArray result = null;
        IllegalArgumentException error = null;
        Throwable other = null;
        try {
            result = c.invoke(args[0], args[1], args[2]);
        } catch (IllegalArgumentException e) {
            error = e;
        } catch (Throwable t) { // NOPMD: any other type is the failure under test
            other = t;
        }
        String failure;
        if (other != null) {
            failure = "threw " + other.getClass().getName() + ": " + other.getMessage();
        } else if (!Arrays.deepEquals(before, contents(args))) {
            failure = "modified an argument";
        } else if (error != null) {
            failure = judgeError(c, expected, error);
        } else if (expected.invalid != null) {
            failure = "accepted invalid arguments (" + expected.invalid + "), returned "
                    + result.getShape();
        } else {
            failure = judgeResult(c, expected, args[0], result);
        }
        return new Outcome(failure, error != null);
    }

    private static String judgeError(Case c, NaiveOps.Expected expected, IllegalArgumentException e) {
        String message = e.getMessage();
        if (expected.invalid == null) {
            return "rejected valid arguments: " + message;
        }
        String prefix = c.op.javaName + ": ";
        if (message == null || !message.startsWith(prefix)) {
            return "message does not start with '" + prefix + "': " + message;
        }
        String rest = message.substring(prefix.length());
        if (ARGUMENTS.stream().noneMatch(a -> rest.startsWith(a + " "))
                || !rest.contains("; expected ") || !rest.contains(", got ")) {
            return "message not of the form '<op>: <argument> <problem>; expected <x>, got <y>': "
                    + message;
        }
        return null;
    }

    private static String judgeResult(
            Case c, NaiveOps.Expected expected, NDArray input, NDArray result) {
        if (result == null) {
            return "returned null";
        }
        if (result.getDataType() != input.getDataType()) {
            return "result dtype " + result.getDataType() + ", expected " + input.getDataType();
        }
        if (!Arrays.equals(result.getShape().getShape(), expected.shape)) {
            return "result shape " + result.getShape() + ", expected "
                    + Arrays.toString(expected.shape);
        }
        if (!result.getDevice().equals(input.getDevice())) {
            return "result on " + result.getDevice() + ", input on " + input.getDevice();
        }
        if (result.getManager() != input.getManager()) {
            return "result not attached to the input's manager";
        }
        double[] got = Arr.values(result);
        for (int i = 0; i < got.length; i++) {
            boolean ok = false;
            for (double want : expected.options[i]) {
                ok |= NaiveOps.close(got[i], want, input.getDataType());
            }
            if (!ok) {
                return "element " + i + " is " + got[i] + ", expected one of "
                        + Arrays.toString(expected.options[i]) + "; got "
                        + Arrays.toString(got);
            }
        }
        return null;
    }

    /** The bytes of each argument (null for absent ones). */
    static byte[][] contents(NDArray[] args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i] == null ? null : args[i].toByteArray();
        }
        return bytes;
    }
}
