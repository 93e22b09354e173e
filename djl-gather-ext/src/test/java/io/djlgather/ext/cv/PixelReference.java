package io.djlgather.ext.cv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Naive loop oracles for the pixel helpers, written from the formulas (row-major arrays of
 * doubles, features [B,C,H,W]), and the check that a call leaves its inputs unchanged.
 */
final class PixelReference {

    private PixelReference() {}

    /** out[b][n][c] = features[b][c][y][x], (y, x) = coords[b][n], with a policy for outside points. */
    static double[] gatherPixels(
            double[] f, int batch, int channels, int height, int width, long[] coords, int n,
            OutOfBounds policy) {
        double[] out = new double[batch * n * channels];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < n; p++) {
                long y = coords[(b * n + p) * 2];
                long x = coords[(b * n + p) * 2 + 1];
                boolean inside = y >= 0 && y < height && x >= 0 && x < width;
                if (!inside && policy == OutOfBounds.ERROR) {
                    throw new IllegalStateException("the reference got a point outside the map");
                }
                if (!inside && policy == OutOfBounds.CLAMP) {
                    y = Math.min(Math.max(y, 0), height - 1);
                    x = Math.min(Math.max(x, 0), width - 1);
                    inside = true;
                }
                for (int c = 0; c < channels; c++) {
                    out[(b * n + p) * channels + c] =
                            inside ? f[((b * channels + c) * height + (int) y) * width + (int) x] : 0;
                }
            }
        }
        return out;
    }

    /**
     * grid_sample's bilinear formula with align_corners=True, in pixel units: points[b][n] =
     * (x, y); BORDER clips to the map first; corners outside the map read 0.
     */
    static double[] sampleBilinear(
            double[] f, int batch, int channels, int height, int width, double[] points, int n,
            boolean border) {
        double[] out = new double[batch * n * channels];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < n; p++) {
                double x = points[(b * n + p) * 2];
                double y = points[(b * n + p) * 2 + 1];
                if (border) {
                    x = Math.min(Math.max(x, 0), width - 1);
                    y = Math.min(Math.max(y, 0), height - 1);
                }
                double x0 = Math.floor(x);
                double y0 = Math.floor(y);
                double x1 = x0 + 1;
                double y1 = y0 + 1;
                double[][] corners = {
                    {y0, x0, (x1 - x) * (y1 - y)},
                    {y0, x1, (x - x0) * (y1 - y)},
                    {y1, x0, (x1 - x) * (y - y0)},
                    {y1, x1, (x - x0) * (y - y0)},
                };
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (double[] corner : corners) {
                        int yy = (int) corner[0];
                        int xx = (int) corner[1];
                        if (yy >= 0 && yy < height && xx >= 0 && xx < width) {
                            sum += corner[2] * f[((b * channels + c) * height + yy) * width + xx];
                        }
                    }
                    out[(b * n + p) * channels + c] = sum;
                }
            }
        }
        return out;
    }

    /** Reads any numeric array as doubles. */
    static double[] values(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray(); // toType would return the array itself
        }
        try (NDArray d = array.toType(DataType.FLOAT64, false)) {
            return d.toDoubleArray();
        }
    }

    static void assertClose(double[] expected, NDArray actual, double tolerance, String context) {
        double[] got = values(actual);
        assertEquals(expected.length, got.length, context + ": size");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], tolerance * Math.max(1, Math.abs(expected[i])),
                    context + ": element " + i);
        }
    }

    /** The contents of some arrays now, to check later that a call left them unchanged. */
    static final class Snapshot {
        private final List<NDArray> arrays = new ArrayList<>();
        private final List<Shape> shapes = new ArrayList<>();
        private final List<byte[]> bytes = new ArrayList<>();

        Snapshot(NDArray... arrays) {
            for (NDArray a : arrays) {
                this.arrays.add(a);
                shapes.add(a.getShape());
                bytes.add(a.toByteArray().clone());
            }
        }

        void assertUnchanged(String context) {
            for (int i = 0; i < arrays.size(); i++) {
                assertEquals(shapes.get(i), arrays.get(i).getShape(), context + ": argument " + i);
                assertArrayEquals(bytes.get(i), arrays.get(i).toByteArray(),
                        context + ": argument " + i + " changed");
            }
        }
    }
}
