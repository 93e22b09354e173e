package io.djlgather.samples.keypoints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class InfoNceLossTest {

    /** The formula with plain loops, in double. */
    private static double reference(float[][] a, float[][] b, double t) {
        int n = a.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int k = 0; k < a[i].length; k++) {
                    dot += a[i][k] * b[j][k];
                    na += a[i][k] * a[i][k];
                    nb += b[j][k] * b[j][k];
                }
                s[i][j] = dot / Math.sqrt(na) / Math.sqrt(nb) / t;
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            double col = 0;
            for (int j = 0; j < n; j++) {
                row += Math.exp(s[i][j]);
                col += Math.exp(s[j][i]);
            }
            sum += s[i][i] - Math.log(row) + s[i][i] - Math.log(col);
        }
        return -sum / (2 * n);
    }

    private static double cosine(float[] x, float[] y) {
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int k = 0; k < x.length; k++) {
            dot += x[k] * y[k];
            nx += x[k] * x[k];
            ny += y[k] * y[k];
        }
        return dot / Math.sqrt(nx) / Math.sqrt(ny);
    }

    /** With hard negatives: row i's softmax runs over b's rows and the negatives; columns as before. */
    private static double reference(float[][] a, float[][] b, float[][] neg, double t) {
        int n = a.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double pos = cosine(a[i], b[i]) / t;
            double row = 0;
            double col = 0;
            for (int j = 0; j < n; j++) {
                row += Math.exp(cosine(a[i], b[j]) / t);
                col += Math.exp(cosine(a[j], b[i]) / t);
            }
            for (float[] m : neg) {
                row += Math.exp(cosine(a[i], m) / t);
            }
            sum += pos - Math.log(row) + pos - Math.log(col);
        }
        return -sum / (2 * n);
    }

    private static float[] flat(float[][] x) {
        float[] out = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, out, i * x[0].length, x[0].length);
        }
        return out;
    }

    @Test
    void matchesTheFormulaAndLeavesInputsAlone() {
        float[][] a = {{1, 2, 0}, {0.5f, -1, 3}, {-2, 0.3f, 1}, {0, 0, 4}};
        float[][] b = {{1.1f, 1.8f, 0.2f}, {0.4f, -1, 2.5f}, {-2, 0.5f, 1.2f}, {3, 0, 1}};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(flat(a), new Shape(4, 3));
            NDArray y = manager.create(flat(b), new Shape(4, 3));
            for (float t : new float[] {0.1f, 1f}) {
                float got = new InfoNceLoss(t).evaluate(new NDList(), new NDList(x, y)).getFloat();
                assertEquals(reference(a, b, t), got, 1e-4 * Math.max(1, Math.abs(got)), "temperature " + t);
            }
            // a leading batch axis of 1 is the same
            float batched = new InfoNceLoss().evaluate(new NDList(), new NDList(x.expandDims(0), y.expandDims(0))).getFloat();
            assertEquals(reference(a, b, 0.1), batched, 1e-4 * Math.abs(batched));
            assertArrayEquals(flat(a), x.toFloatArray(), "input unchanged");
        }
        assertEquals(0.1f, new InfoNceLoss().temperature());
    }

    @Test
    void hardNegativesJoinTheRowSoftmaxOnly() {
        float[][] a = {{1, 2, 0}, {0.5f, -1, 3}, {-2, 0.3f, 1}};
        float[][] b = {{1.1f, 1.8f, 0.2f}, {0.4f, -1, 2.5f}, {-2, 0.5f, 1.2f}};
        float[][] neg = {{1, 2, 0.5f}, {0, -1, 3}, {-1, 0, 1}, {2, 2, 2}, {0.1f, 0.2f, 0.3f}};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(flat(a), new Shape(3, 3));
            NDArray y = manager.create(flat(b), new Shape(3, 3));
            NDArray m = manager.create(flat(neg), new Shape(1, 5, 3));
            float got = new InfoNceLoss(0.1f).evaluate(new NDList(), new NDList(x, y, m)).getFloat();
            assertEquals(reference(a, b, neg, 0.1), got, 1e-4 * Math.max(1, Math.abs(got)));
            float without = new InfoNceLoss(0.1f).evaluate(new NDList(), new NDList(x, y)).getFloat();
            assertTrue(got > without, "negatives can only raise the loss: " + got + " vs " + without);
        }
    }

    @Test
    void identicalDistinctFeaturesGiveALowLossAndShuffledOnesAHighOne() {
        float[][] a = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] shuffled = {a[1], a[2], a[0]};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(flat(a), new Shape(3, 3));
            NDArray same = new InfoNceLoss().evaluate(new NDList(), new NDList(x, x));
            NDArray wrong = new InfoNceLoss().evaluate(new NDList(), new NDList(x, manager.create(flat(shuffled), new Shape(3, 3))));
            assertTrue(same.getFloat() < 1e-3, "aligned " + same.getFloat());
            assertTrue(wrong.getFloat() > 9, "shuffled " + wrong.getFloat());
        }
    }

    @Test
    void rejectsANonPositiveTemperature() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(0));
        assertTrue(e.getMessage().startsWith("InfoNceLoss: temperature"), e.getMessage());
    }

    /**
     * The gradient against central finite differences of the double-precision reference, with a
     * garbage collection and a flood of small direct buffers (filled with 1e30) between the
     * forward and the backward pass. DJL 0.36's {@code x.div(number)} and {@code x.mul(number)}
     * make the scalar from a direct buffer that they free at once while autograd keeps it; when
     * the loss used them, memory reused this way turned the gradient into garbage (the keypoint
     * training diverged between identical runs). The loss now multiplies by scalars PyTorch owns.
     */
    @Test
    void gradientSurvivesAGarbageCollectionBeforeBackward() throws Exception {
        int n = 4;
        int c = 3;
        double t = 0.1;
        java.util.Random r = new java.util.Random(3);
        double[] av = new double[n * c];
        double[] bv = new double[n * c];
        for (int i = 0; i < av.length; i++) {
            av[i] = r.nextGaussian();
            bv[i] = r.nextGaussian();
        }
        InfoNceLoss loss = new InfoNceLoss((float) t);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(av, new Shape(n, c));
            NDArray b = manager.create(bv, new Shape(n, c));
            a.setRequiresGradient(true);
            double[] analytic;
            java.util.List<java.nio.ByteBuffer> flood = new java.util.ArrayList<>();
            try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.evaluate(new NDList(), new NDList(a, b));
                for (int round = 0; round < 3; round++) {
                    System.gc();
                    Thread.sleep(50);
                    for (int k = 0; k < 2000; k++) {
                        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
                        buffer.putDouble(0, 1e30);
                        flood.add(buffer);
                    }
                }
                collector.backward(value);
                analytic = a.getGradient().toDoubleArray();
            }
            double h = 1e-6;
            for (int i = 0; i < av.length; i++) {
                double[] ap = av.clone();
                double[] am = av.clone();
                ap[i] += h;
                am[i] -= h;
                double numeric = (reference2(ap, bv, n, c, t) - reference2(am, bv, n, c, t)) / (2 * h);
                assertEquals(numeric, analytic[i], 1e-6, "d loss / d a[" + i + "] (" + flood.size() + " buffers flooded)");
            }
        }
    }

    /** The loss in double precision from flat [n,c] arrays: -(1/2n) sum_i (2 s_ii - lse_j s_ij - lse_j s_ji). */
    private static double reference2(double[] a, double[] b, int n, int c, double t) {
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int k = 0; k < c; k++) {
                    dot += a[i * c + k] * b[j * c + k];
                    na += a[i * c + k] * a[i * c + k];
                    nb += b[j * c + k] * b[j * c + k];
                }
                s[i][j] = dot / Math.sqrt(na) / Math.sqrt(nb) / t;
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            double col = 0;
            for (int j = 0; j < n; j++) {
                row += Math.exp(s[i][j]);
                col += Math.exp(s[j][i]);
            }
            sum += 2 * s[i][i] - Math.log(row) - Math.log(col);
        }
        return -sum / (2 * n);
    }
}
