package io.djlgather.ext.nlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

/** labelScores and TokenNllLoss against naive loops. */
class SequenceLabelingTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static double[] random(long seed, int n) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 3 * random.nextGaussian();
        }
        return values;
    }

    @Test
    void labelScoresMatchNaiveLoop() {
        int b = 3;
        int t = 4;
        int c = 5;
        double[] x = random(1, b * t * c);
        long[] labels = new long[b * t];
        Random random = new Random(2);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(c);
        }
        for (DataType type : new DataType[] {DataType.INT64, DataType.INT32}) {
            NDArray logits = manager.create(x, new Shape(b, t, c));
            NDArray index = manager.create(labels, new Shape(b, t)).toType(type, false);
            NDArray out = SequenceLabeling.labelScores(logits, index);
            assertEquals(new Shape(b, t), out.getShape());
            assertSame(manager, out.getManager());
            double[] got = out.toDoubleArray();
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    int k = i * t + j;
                    assertEquals(x[k * c + (int) labels[k]], got[k], 0.0, "[" + i + "][" + j + "]");
                }
            }
            assertArrayEquals(x, logits.toDoubleArray());
        }
    }

    @Test
    void labelScoresGradientIsOneHot() {
        NDArray logits = manager.create(random(3, 2 * 3), new Shape(1, 2, 3));
        NDArray labels = manager.create(new long[] {2, 0}, new Shape(1, 2));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            logits.setRequiresGradient(true);
            collector.backward(SequenceLabeling.labelScores(logits, labels).sum());
            assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0},
                    logits.getGradient().toDoubleArray());
        }
    }

    /** The loss by a naive loop: mean over real tokens of -log softmax at the label. */
    private static double naiveNll(double[] x, long[] labels, boolean[] real, int c) {
        double sum = 0;
        int count = 0;
        for (int k = 0; k < labels.length; k++) {
            if (!real[k]) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, x[k * c + j]);
            }
            double z = 0;
            for (int j = 0; j < c; j++) {
                z += Math.exp(x[k * c + j] - max);
            }
            sum -= x[k * c + (int) labels[k]] - max - Math.log(z);
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }

    @Test
    void tokenNllWithMaskMatchesNaiveLoop() {
        int b = 2;
        int t = 4;
        int c = 3;
        double[] x = random(4, b * t * c);
        // padded tokens hold labels that are no tag at all: they must never be read
        long[] labels = {0, 2, 1, 55, -1, -1, 2, 0};
        boolean[] real = {true, true, true, false, false, false, true, true};
        NDArray logits = manager.create(x, new Shape(b, t, c));
        NDArray tags = manager.create(labels, new Shape(b, t));
        for (DataType type : new DataType[] {DataType.BOOLEAN, DataType.INT32, DataType.FLOAT32}) {
            NDArray mask = manager.create(real, new Shape(b, t)).toType(type, false);
            NDArray loss = new TokenNllLoss().evaluate(new NDList(tags, mask), new NDList(logits));
            assertEquals(new Shape(), loss.getShape());
            assertEquals(naiveNll(x, labels, real, c), loss.getDouble(), 1e-12, type.toString());
        }
        assertArrayEquals(labels, tags.toLongArray());
    }

    @Test
    void tokenNllWithIgnoreLabelMatchesNaiveLoop() {
        int b = 2;
        int t = 3;
        int c = 4;
        double[] x = random(5, b * t * c);
        long[] labels = {3, -100, -100, 1, 2, -100};
        boolean[] real = {true, false, false, true, true, false};
        NDArray logits = manager.create(x, new Shape(b, t, c));
        NDArray loss = new TokenNllLoss().evaluate(
                new NDList(manager.create(labels, new Shape(b, t))), new NDList(logits));
        assertEquals(naiveNll(x, labels, real, c), loss.getDouble(), 1e-12);

        long[] custom = {3, 9, 9, 1, 2, 9};
        TokenNllLoss nine = new TokenNllLoss("nll", 9);
        assertEquals("nll", nine.getName());
        assertEquals(naiveNll(x, custom, real, c), nine.evaluate(
                new NDList(manager.create(custom, new Shape(b, t))), new NDList(logits))
                .getDouble(), 1e-12);
        assertEquals("TokenNllLoss", new TokenNllLoss().getName());
    }

    @Test
    void tokenNllOfAllPaddingIsZeroWithZeroGradient() {
        NDArray logits = manager.create(random(6, 2 * 2 * 3), new Shape(2, 2, 3))
                .toType(DataType.FLOAT32, false);
        NDArray tags = manager.create(new long[] {-100, -100, 1, 2}, new Shape(2, 2));
        NDArray mask = manager.create(new int[] {1, 1, 0, 0}, new Shape(2, 2));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            logits.setRequiresGradient(true);
            NDArray loss = new TokenNllLoss().evaluate(new NDList(tags, mask), new NDList(logits));
            assertEquals(0f, loss.getFloat());
            assertFalse(Float.isNaN(loss.getFloat()));
            collector.backward(loss);
            for (float g : logits.getGradient().toFloatArray()) {
                assertEquals(0f, g);
            }
        }
        NDArray empty = manager.zeros(new Shape(0, 5, 3));
        assertEquals(0f, new TokenNllLoss().evaluate(
                new NDList(manager.zeros(new Shape(0, 5), DataType.INT64)), new NDList(empty))
                .getFloat());
    }

    @Test
    void tokenNllGradientIsSoftmaxMinusOneHotOverRealTokens() {
        int c = 3;
        double[] x = random(7, 2 * c);
        NDArray logits = manager.create(x, new Shape(1, 2, c));
        NDArray tags = manager.create(new long[] {1, -100}, new Shape(1, 2));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            logits.setRequiresGradient(true);
            collector.backward(new TokenNllLoss().evaluate(new NDList(tags), new NDList(logits)));
            double[] g = logits.getGradient().toDoubleArray();
            double z = Math.exp(x[0]) + Math.exp(x[1]) + Math.exp(x[2]);
            for (int j = 0; j < c; j++) {
                assertEquals(Math.exp(x[j]) / z - (j == 1 ? 1 : 0), g[j], 1e-12);
                assertEquals(0, g[c + j], 0.0);
            }
        }
    }
}
