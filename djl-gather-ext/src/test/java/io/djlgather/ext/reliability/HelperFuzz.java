package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.cv.PixelPoints;
import io.djlgather.ext.nlp.CrfBlock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The judge shared by the helper fuzz tests ({@code *FuzzTest} of a helper family): one
 * generated {@link Call} runs in its own scope and must end either in its reference's result or,
 * when the reference says the arguments are invalid, in an IllegalArgumentException {@code
 * "<op>: <argument> <problem>; expected <x>, got <y>"} naming one of the call's arguments; any
 * other exception type fails, and no array argument may change (bytes before and after).
 *
 * <p>Seed and count as in {@link GatherOpsFuzzTest}: {@code -Ddjlgather.reliability.seed} and
 * {@code -Ddjlgather.reliability.cases} (each family runs a fixed fraction of it).
 */
final class HelperFuzz {

    private HelperFuzz() {}

    /** Runs a call's op on its arrays (made in {@code scope}); returns what the op returned. */
    interface Invoker {
        Object call(NDManager scope, NDArray[] args);
    }

    /** Judges a valid call's results (flattened, see {@link #flatten}); null when right. */
    interface Judge {
        String judge(NDManager scope, NDArray[] args, NDArray[] results);
    }

    /** One generated helper call. */
    static final class Call {
        /** The Java name the op's error messages start with. */
        final String op;
        /** The argument names an error message may name right after {@code "<op>: "}. */
        final List<String> arguments;
        /** The array arguments (entries may be null). */
        final Arr[] arrays;
        /** Non-array arguments, for the report. */
        String extra = "";
        /** What was done to the valid case this started from. */
        String mutation = "valid";
        /** Why the reference rejects the call, or null when it is valid. */
        String invalid;
        Invoker invoker;
        Judge judge;

        Call(String op, List<String> arguments, Arr... arrays) {
            this.op = op;
            this.arguments = arguments;
            this.arrays = arrays;
        }

        @Override
        public String toString() {
            return op + "(" + Arrays.toString(arrays) + extra + ") [" + mutation + "]";
        }
    }

    /** The counts of one helper family. */
    static final class Tally {
        final String family;
        final long seed = seed();
        final long start = System.nanoTime();
        final Map<String, int[]> perOp = new LinkedHashMap<>(); // {valid, rejected}
        final List<String> failures = new ArrayList<>();
        int cases;
        int matched;
        int rejected;

        Tally(String family) {
            this.family = family;
        }

        /** Runs the call in its own scope of {@code base} and counts its outcome. */
        void run(NDManager base, long i, Call c) {
            cases++;
            int[] counts = perOp.computeIfAbsent(c.op, k -> new int[2]);
            String failure;
            boolean error;
            try (NDManager scope = base.newSubManager()) {
                NDArray[] args = new NDArray[c.arrays.length];
                for (int a = 0; a < args.length; a++) {
                    args[a] = make(c.arrays[a], scope);
                }
                byte[][] before = GatherOpsFuzzTest.contents(args);
                Object result = null;
                IllegalArgumentException iae = null;
                Throwable other = null;
                try {
                    result = c.invoker.call(scope, args);
                } catch (IllegalArgumentException e) {
                    iae = e;
                } catch (Throwable t) { // NOPMD: any other type is the failure under test
                    other = t;
                }
                error = iae != null;
                if (other != null) {
                    failure = "threw " + other.getClass().getName() + ": " + other.getMessage();
                } else if (!Arrays.deepEquals(before, GatherOpsFuzzTest.contents(args))) {
                    failure = "modified an argument";
                } else if (iae != null) {
                    failure = judgeError(c, iae.getMessage());
                } else if (c.invalid != null) {
                    failure = "accepted invalid arguments (" + c.invalid + ")";
                } else {
                    NDArray[] results = flatten(result);
                    failure = results == null ? "returned null" : c.judge.judge(scope, args, results);
                }
            }
            if (failure != null) {
                failures.add("seed " + seed + " case " + i + ": " + c + "\n    " + failure);
            } else if (error) {
                rejected++;
                counts[1]++;
            } else {
                matched++;
                counts[0]++;
            }
        }

        /** Prints the family's line (and the first failures) and asserts there is no failure. */
        void report() {
            double seconds = (System.nanoTime() - start) / 1e9;
            StringBuilder ops = new StringBuilder();
            perOp.forEach((op, n) -> ops.append(' ').append(op).append('=').append(n[0])
                    .append('/').append(n[1]));
            System.out.printf("reliability: fuzz-helpers %s seed=%d cases=%d matched-reference=%d"
                    + " rejected-with-IAE=%d failures=%d (other-exception-types=%d) time=%.1fs;%s"
                    + " (valid/rejected)%n", family, seed, cases, matched, rejected,
                    failures.size(), failures.stream().filter(f -> f.contains("\n    threw "))
                            .count(), seconds, ops);
            failures.stream().limit(Integer.getInteger("djlgather.reliability.printFailures", 25))
                    .forEach(f -> System.out.println("reliability: FAIL " + f));
            assertEquals(0, failures.size(), () -> failures.size() + " failing cases; first: "
                    + failures.get(0));
            assertTrue(matched > cases / 3 && rejected > cases / 6,
                    "the generator should give both outcomes often: " + matched + " / " + rejected);
        }
    }

    static long seed() {
        return Long.getLong("djlgather.reliability.seed", GatherOpsFuzzTest.DEFAULT_SEED);
    }

    /** The family's share of {@code -Ddjlgather.reliability.cases}. */
    static int cases(int divisor) {
        return Integer.getInteger("djlgather.reliability.cases", GatherOpsFuzzTest.DEFAULT_CASES)
                / divisor;
    }

    /** A case's own random stream: the same case for the same seed, whatever ran before. */
    static SplittableRandom random(long familySalt, long i) {
        return new SplittableRandom((seed() * 31 + familySalt) * 1_000_003L + i);
    }

    private static String judgeError(Call c, String message) {
        if (c.invalid == null) {
            return "rejected valid arguments: " + message;
        }
        String prefix = c.op + ": ";
        if (message == null || !message.startsWith(prefix)) {
            return "message does not start with '" + prefix + "': " + message;
        }
        String rest = message.substring(prefix.length());
        if (c.arguments.stream().noneMatch(a -> rest.startsWith(a + " "))
                || !rest.contains("; expected ") || !rest.contains(", got ")) {
            return "message not of the form '<op>: <argument> <problem>; expected <x>, got <y>'"
                    + " with an argument of " + c.arguments + ": " + message;
        }
        return null;
    }

    /** The arrays an op returned, in order; null for null. */
    static NDArray[] flatten(Object result) {
        if (result == null) {
            return null;
        }
        if (result instanceof NDArray) {
            return new NDArray[] {(NDArray) result};
        }
        if (result instanceof NDList) {
            return ((NDList) result).toArray(new NDArray[0]);
        }
        if (result instanceof CrfBlock.Decoded) {
            CrfBlock.Decoded d = (CrfBlock.Decoded) result;
            return new NDArray[] {d.paths(), d.scores()};
        }
        if (result instanceof PixelPoints) {
            PixelPoints p = (PixelPoints) result;
            return new NDArray[] {p.points(), p.mask()};
        }
        throw new IllegalStateException("unexpected result " + result.getClass());
    }

    /**
     * Makes the array in the manager; float16 and bfloat16 go through float32 (exact for values
     * from {@link #floats}, which are representable in the array's dtype).
     */
    static NDArray make(Arr a, NDManager manager) {
        if (a == null) {
            return null;
        }
        if (a.type == DataType.FLOAT16 || a.type == DataType.BFLOAT16
                || a.type == DataType.UINT8) {
            try (NDArray wide = a.withType(DataType.FLOAT32).create(manager)) {
                return wide.toType(a.type, false);
            }
        }
        return a.create(manager);
    }

    /** Any array's values as doubles (through float64 for dtypes Arr cannot read). */
    static double[] values(NDArray array) {
        DataType t = array.getDataType();
        if (t == DataType.FLOAT32 || t == DataType.FLOAT64 || t == DataType.INT32
                || t == DataType.INT64) {
            return Arr.values(array);
        }
        try (NDArray wide = array.toType(DataType.FLOAT64, false)) {
            return wide.toDoubleArray();
        }
    }

    /**
     * Checks a result's shape, dtype, manager and values ({@code tol} relative, at least
     * absolute; equal infinities and NaN match themselves); null when right.
     */
    static String expect(String what, NDArray got, long[] shape, DataType type,
            NDManager manager, double[] want, double tol) {
        if (got == null) {
            return what + " is null";
        }
        if (!Arrays.equals(shape, got.getShape().getShape())) {
            return what + " shape " + got.getShape() + ", expected " + Arrays.toString(shape);
        }
        if (got.getDataType() != type) {
            return what + " dtype " + got.getDataType() + ", expected " + type;
        }
        if (got.getManager() != manager) {
            return what + " attached to " + got.getManager().getName()
                    + ", not to the input's manager";
        }
        if (want == null) {
            return null;
        }
        double[] v = values(got);
        for (int i = 0; i < v.length; i++) {
            if (!close(v[i], want[i], tol)) {
                return what + " element " + i + " is " + v[i] + ", expected " + want[i] + "; got "
                        + (v.length <= 24 ? Arrays.toString(v) : "") + " expected "
                        + (want.length <= 24 ? Arrays.toString(want) : "");
            }
        }
        return null;
    }

    static boolean close(double got, double want, double tol) {
        if (got == want || (Double.isNaN(got) && Double.isNaN(want))) {
            return true;
        }
        return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
    }

    /** The tolerance of a float dtype for short sums; exact for integer and bool dtypes. */
    static double tol(DataType type) {
        switch (type) {
            case FLOAT16:
                return 2e-3;
            case FLOAT32:
                return 2e-6;
            case FLOAT64:
                return 1e-12;
            default:
                return 0;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Generators

    /** Random small integers in [lo, hi] (exact in every dtype we use). */
    static Arr ints(SplittableRandom rnd, DataType type, long[] shape, int lo, int hi) {
        double[] data = new double[Arr.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = lo + rnd.nextInt(hi - lo + 1);
        }
        return new Arr(type, shape, data);
    }

    /**
     * Random values in [lo, hi), rounded to float (and to float16 or bfloat16 for those dtypes)
     * so that creating the array is exact and the reference sees the array's own values.
     */
    static Arr floats(SplittableRandom rnd, DataType type, long[] shape, double lo, double hi) {
        double[] data = new double[Arr.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = representable(type, (float) (lo + rnd.nextDouble() * (hi - lo)));
        }
        return new Arr(type, shape, data);
    }

    /**
     * The value rounded to nearest-even in a half dtype (float16: 11 significant bits, normal
     * from 2^-14; bfloat16: 8 bits, float32's exponent range), as a cast from float32 rounds;
     * other dtypes return it unchanged. Values stay far from the half dtypes' overflow here.
     */
    static double representable(DataType type, double v) {
        int bits;
        int minExponent;
        if (type == DataType.FLOAT16) {
            bits = 11;
            minExponent = -14;
        } else if (type == DataType.BFLOAT16) {
            bits = 8;
            minExponent = -126;
        } else {
            return v;
        }
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        double ulp = Math.scalb(1.0, Math.max(Math.getExponent(v), minExponent) - (bits - 1));
        return Math.rint(v / ulp) * ulp;
    }

    static <T> T pick(SplittableRandom rnd, List<T> options) {
        return options.get(rnd.nextInt(options.size()));
    }

    /** A shape with one dimension changed by +1 (or dropped/added when asked). */
    static long[] bump(long[] shape, int d) {
        long[] s = shape.clone();
        s[d]++;
        return s;
    }

    /** An array of the given shape and dtype holding zeros (for shape mutations). */
    static Arr zeros(DataType type, long[] shape) {
        return new Arr(type, shape, new double[Arr.numel(shape)]);
    }
}
