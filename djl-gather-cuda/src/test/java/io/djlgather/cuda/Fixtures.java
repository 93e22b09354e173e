package io.djlgather.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import io.djlgather.ext.spi.GatherRuntimes;

import java.util.Random;

/** Test helpers: CPU-governing runtimes, seeded data, naive double-precision references. */
final class Fixtures {

    private Fixtures() {}

    /** A runtime that governs CPU arrays, installed first in line until the handle closes. */
    static final class CpuRuntime implements AutoCloseable {
        final CudaGatherRuntime runtime = new CudaGatherRuntime(d -> d.equals(Device.cpu()));
        private final GatherRuntimes.Installation handle = GatherRuntimes.install(runtime);

        @Override
        public void close() {
            handle.close();
        }
    }

    static float[] randomFloats(long seed, int n) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            // mixed magnitudes make the rounding of a sum depend on its order
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        return values;
    }

    static double[] randomDoubles(long seed, int n) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    /** Indices in [0, bound), most of them on a few hot values: duplicate-heavy. */
    static long[] hotIndices(long seed, int n, int bound) {
        Random random = new Random(seed);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(4) == 0 ? random.nextInt(bound) : random.nextInt(2);
        }
        return values;
    }

    /**
     * scatter along axis 0 or 1 of 2-D row-major arrays, in double precision: per output
     * position the sum of the src values written there, their count, and the sum of their
     * magnitudes (the scale of a float sum's rounding error).
     */
    static double[][] naiveScatter(
            float[] input, long rows, long cols, long[] index, long idxCols, float[] src, long srcCols,
            int axis) {
        double[] sum = new double[input.length];
        double[] count = new double[input.length];
        double[] magnitude = new double[input.length];
        long idxRows = index.length / idxCols;
        for (int i = 0; i < idxRows; i++) {
            for (int j = 0; j < idxCols; j++) {
                long x = index[(int) (i * idxCols + j)];
                int p = (int) (axis == 0 ? x * cols + j : i * cols + x);
                sum[p] += src[(int) (i * srcCols + j)];
                count[p]++;
                magnitude[p] += Math.abs(src[(int) (i * srcCols + j)]);
            }
        }
        return new double[][] {sum, count, magnitude};
    }

    /** Asserts two float arrays are bit for bit the same. */
    static void assertBitIdentical(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": differs at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    /** Asserts |expected - actual| <= tol * (1 + |expected| + scale) elementwise. */
    static void assertClose(
            double[] expected, float[] actual, double[] scale, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (!(err <= tol * (1 + Math.abs(expected[i]) + scale[i]))) {
                fail(what + ": at " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }
}
