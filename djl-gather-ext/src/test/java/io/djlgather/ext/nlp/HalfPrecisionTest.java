package io.djlgather.ext.nlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * float16 inputs of the CRF and the sequence-labeling losses: computed in float32, returned in
 * float16, with gradients. References: a float64 loop (TokenNllLoss) and the same op on float64
 * copies of the same values (the CRF, whose float64 results other tests check by brute force).
 * Inputs are multiples of 1/64, exact in float16, so the only float16 error is the result's
 * rounding (2^-11 relative); the tolerance is 1e-3 relative to max(1, |expected|).
 */
class HalfPrecisionTest {

    private static final double TOL = 1e-3;

    private static void assertClose(double want, double got, String what) {
        assertTrue(Math.abs(got - want) <= TOL * Math.max(1, Math.abs(want)),
                what + ": got " + got + ", expected " + want);
    }

    private static double[] values(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        try (NDArray wide = a.toType(DataType.FLOAT64, false)) {
            return wide.toDoubleArray();
        }
    }

    /** Deterministic multiples of 1/64 in [lo, hi]. */
    private static float[] grid(int n, int seed, double lo, double hi) {
        float[] v = new float[n];
        long x = seed;
        int steps = (int) Math.round((hi - lo) * 64);
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            v[i] = (float) (lo + Math.floorMod(x >>> 33, steps + 1) / 64.0);
        }
        return v;
    }

    @Test
    void tokenNllCountsMoreThan65504TokensInFloat16() {
        int t = 70_000; // float16's largest finite value is 65,504
        int c = 2;
        float[] x = grid(t * c, 3, -2, 2);
        long[] tags = new long[t];
        double sum = 0;
        for (int i = 0; i < t; i++) {
            tags[i] = i % 3 == 0 ? 1 : 0;
            double a = x[i * c];
            double b = x[i * c + 1];
            double max = Math.max(a, b);
            double lse = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
            sum += x[(int) (i * c + tags[i])] - lse;
        }
        double want = -sum / t;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(x, new Shape(1, t, c)).toType(DataType.FLOAT16, false);
            NDArray labels = manager.create(tags, new Shape(1, t));
            NDArray loss = new TokenNllLoss().evaluate(new NDList(labels), new NDList(logits));
            assertEquals(DataType.FLOAT16, loss.getDataType());
            assertEquals(new Shape(), loss.getShape());
            assertClose(want, values(loss)[0], "loss");
        }
    }

    @Test
    void tokenNllGradientsReachFloat16Logits() {
        int b = 2;
        int t = 3;
        int c = 4;
        float[] x = grid(b * t * c, 5, -3, 3);
        long[] tags = {0, 3, -100, 2, 1, 1};
        int count = 5;
        double[] wantGrad = new double[x.length];
        for (int f = 0; f < b * t; f++) {
            if (tags[f] < 0) {
                continue;
            }
            double z = 0;
            for (int k = 0; k < c; k++) {
                z += Math.exp(x[f * c + k]);
            }
            for (int k = 0; k < c; k++) {
                double p = Math.exp(x[f * c + k]) / z;
                wantGrad[f * c + k] = (p - (k == tags[f] ? 1 : 0)) / count;
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(x, new Shape(b, t, c)).toType(DataType.FLOAT16, false);
            logits.setRequiresGradient(true);
            NDArray labels = manager.create(tags, new Shape(b, t));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = new TokenNllLoss().evaluate(new NDList(labels), new NDList(logits));
                assertEquals(DataType.FLOAT16, loss.getDataType());
                collector.backward(loss);
            }
            NDArray grad = logits.getGradient();
            assertEquals(DataType.FLOAT16, grad.getDataType());
            double[] got = values(grad);
            for (int i = 0; i < got.length; i++) {
                assertTrue(Math.abs(got[i] - wantGrad[i]) <= 1e-3, "grad " + i + ": got " + got[i]
                        + ", expected " + wantGrad[i]);
            }
        }
    }

    @Test
    void crfInFloat16MatchesFloat64OnLongSequences() {
        int b = 2;
        int t = 200; // log Z ~ 500: float16 steps of 0.25 there, so a float16 recursion drifts
        int c = 3;
        float[] e = grid(b * t * c, 7, -3, 3);
        float[] trans = grid(c * c, 11, -2, 2);
        float[] start = grid(c, 13, -2, 2);
        float[] end = grid(c, 17, -2, 2);
        long[] tags = new long[b * t];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = (i * 7 + i / 5) % c;
        }
        boolean[] mask = new boolean[b * t];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i < t || i % t < 150; // second sequence padded on the right
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] half = new NDArray[4];
            NDArray[] wide = new NDArray[4];
            float[][] data = {e, trans, start, end};
            Shape[] shapes = {new Shape(b, t, c), new Shape(c, c), new Shape(c), new Shape(c)};
            for (int i = 0; i < 4; i++) {
                NDArray f32 = manager.create(data[i], shapes[i]);
                half[i] = f32.toType(DataType.FLOAT16, false);
                wide[i] = f32.toType(DataType.FLOAT64, false);
            }
            NDArray m = manager.create(mask, new Shape(b, t));
            NDArray y = manager.create(tags, new Shape(b, t));

            NDArray z16 = CrfBlock.logPartition(half[0], m, half[1], half[2], half[3]);
            NDArray z64 = CrfBlock.logPartition(wide[0], m, wide[1], wide[2], wide[3]);
            assertEquals(DataType.FLOAT16, z16.getDataType());
            NDArray g16 = CrfBlock.goldScore(half[0], y, m, half[1], half[2], half[3]);
            NDArray g64 = CrfBlock.goldScore(wide[0], y, m, wide[1], wide[2], wide[3]);
            assertEquals(DataType.FLOAT16, g16.getDataType());
            CrfBlock.Decoded v16 = CrfBlock.viterbiDecode(half[0], m, half[1], half[2], half[3]);
            CrfBlock.Decoded v64 = CrfBlock.viterbiDecode(wide[0], m, wide[1], wide[2], wide[3]);
            assertEquals(DataType.FLOAT16, v16.scores().getDataType());
            for (int s = 0; s < b; s++) {
                assertClose(values(z64)[s], values(z16)[s], "logPartition " + s);
                assertClose(values(g64)[s], values(g16)[s], "goldScore " + s);
                assertClose(values(v64.scores())[s], values(v16.scores())[s], "viterbi score " + s);
            }

            // the loss subtracts two ~500-sized terms: computed in float32, not term by term
            half[0].setRequiresGradient(true);
            wide[0].setRequiresGradient(true);
            NDArray l16;
            NDArray l64;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                l16 = new CrfLoss().evaluate(new NDList(y, m), new NDList(half));
                collector.backward(l16);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                l64 = new CrfLoss().evaluate(new NDList(y, m), new NDList(wide));
                collector.backward(l64);
            }
            assertEquals(DataType.FLOAT16, l16.getDataType());
            assertClose(values(l64)[0], values(l16)[0], "CrfLoss");
            double[] grad16 = values(half[0].getGradient());
            double[] grad64 = values(wide[0].getGradient());
            for (int i = 0; i < grad16.length; i++) {
                assertTrue(Math.abs(grad16[i] - grad64[i]) <= 1e-3, "CrfLoss grad " + i + ": got "
                        + grad16[i] + ", expected " + grad64[i]);
            }
        }
    }
}
