package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.nlp.CrfLoss;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The recall-oriented CRF loss against brute force over every tag path: loss = mean over the
 * batch of log sum_y exp(score(y) + cost * #{t real: gold[t] != O and y[t] = O}) - score(gold),
 * with score(y) = start[y0] + sum_t emissions[t][y_t] + sum_t transitions[y_{t-1}][y_t] +
 * end[y_last] over the real steps.
 */
class RecallCostCrfLossTest {

    private static final int C = 3;
    private static final int T = 4;
    private static final int B = 3;

    /** log sum over all paths of the real steps, with the recall cost, minus the gold score; 0 without real steps. */
    private static double reference(double[][] e, long[] gold, boolean[] mask, double[][] tr, double[] st, double[] en,
            int outside, double cost) {
        int n = 0;
        int[] steps = new int[mask.length];
        for (int t = 0; t < mask.length; t++) {
            if (mask[t]) {
                steps[n++] = t;
            }
        }
        if (n == 0) {
            return 0;
        }
        int[] y = new int[n];
        int[] g = new int[n];
        for (int k = 0; k < n; k++) {
            g[k] = (int) gold[steps[k]];
        }
        double goldScore = score(e, steps, g, tr, st, en);
        double max = Double.NEGATIVE_INFINITY;
        int paths = (int) Math.pow(C, n);
        double[] scores = new double[paths];
        for (int p = 0; p < paths; p++) {
            int rest = p;
            double missed = 0;
            for (int k = 0; k < n; k++) {
                y[k] = rest % C;
                rest /= C;
                if (g[k] != outside && y[k] == outside) {
                    missed += cost;
                }
            }
            scores[p] = score(e, steps, y, tr, st, en) + missed;
            max = Math.max(max, scores[p]);
        }
        double sum = 0;
        for (double s : scores) {
            sum += Math.exp(s - max);
        }
        return max + Math.log(sum) - goldScore;
    }

    private static double score(double[][] e, int[] steps, int[] y, double[][] tr, double[] st, double[] en) {
        double s = st[y[0]] + en[y[y.length - 1]];
        for (int k = 0; k < y.length; k++) {
            s += e[steps[k]][y[k]];
            if (k > 0) {
                s += tr[y[k - 1]][y[k]];
            }
        }
        return s;
    }

    private static double[] random(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    @Test
    void matchesBruteForceOverAllPaths() {
        Random r = new Random(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 20; trial++) {
                int outside = trial % C;
                float cost = trial < 2 ? 0f : (float) (0.25 + 2 * r.nextDouble());
                double[] e = random(r, B * T * C);
                double[] tr = random(r, C * C);
                double[] st = random(r, C);
                double[] en = random(r, C);
                long[] tags = new long[B * T];
                boolean[] mask = new boolean[B * T];
                for (int i = 0; i < tags.length; i++) {
                    tags[i] = r.nextInt(C);
                    // padding on either side; sequence 2 of trial 3 has no real step
                    mask[i] = !(trial == 3 && i / T == 2) && r.nextInt(5) > 0;
                }
                NDArray emissions = manager.create(e, new Shape(B, T, C));
                NDList predictions = new NDList(emissions, manager.create(tr, new Shape(C, C)),
                        manager.create(st), manager.create(en));
                NDList labels = new NDList(manager.create(tags, new Shape(B, T)), manager.create(mask, new Shape(B, T)));
                double got = new RecallCostCrfLoss(outside, cost).evaluate(labels, predictions).getDouble();
                double expected = 0;
                double[][] trm = new double[C][C];
                for (int i = 0; i < C; i++) {
                    System.arraycopy(tr, i * C, trm[i], 0, C);
                }
                for (int b = 0; b < B; b++) {
                    double[][] eb = new double[T][C];
                    boolean[] mb = new boolean[T];
                    long[] gb = new long[T];
                    for (int t = 0; t < T; t++) {
                        System.arraycopy(e, (b * T + t) * C, eb[t], 0, C);
                        mb[t] = mask[b * T + t];
                        gb[t] = tags[b * T + t];
                    }
                    expected += reference(eb, gb, mb, trm, st, en, outside, cost) / B;
                }
                assertEquals(expected, got, 1e-9, "trial " + trial + ", cost " + cost + ", O = " + outside);
                if (cost == 0) {
                    assertEquals(new CrfLoss().evaluate(labels, predictions).getDouble(), got, 1e-12, "cost 0 is CrfLoss");
                } else {
                    assertTrue(got >= new CrfLoss().evaluate(labels, predictions).getDouble() - 1e-12,
                            "a cost never lowers the loss");
                }
                assertEquals(0, emissions.sub(manager.create(e, new Shape(B, T, C))).abs().max().getDouble(),
                        "the emissions are unchanged");
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(9);
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] e = random(r, B * T * C);
            long[] tags = {0, 1, 2, 0, 2, 2, 0, 1, 1, 0, 0, 2};
            boolean[] mask = {true, true, true, false, true, true, true, true, true, true, false, false};
            NDArray tr = manager.create(random(r, C * C), new Shape(C, C));
            NDArray st = manager.create(random(r, C));
            NDArray en = manager.create(random(r, C));
            NDList labels = new NDList(manager.create(tags, new Shape(B, T)), manager.create(mask, new Shape(B, T)));
            RecallCostCrfLoss loss = new RecallCostCrfLoss(0, 1.5f);
            NDArray emissions = manager.create(e, new Shape(B, T, C));
            emissions.setRequiresGradient(true);
            double[] analytic;
            try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.evaluate(labels, new NDList(emissions, tr, st, en)));
                analytic = emissions.getGradient().toDoubleArray();
            }
            double h = 1e-6;
            for (int i = 0; i < e.length; i++) {
                double[] plus = e.clone();
                double[] minus = e.clone();
                plus[i] += h;
                minus[i] -= h;
                double fp = loss.evaluate(labels, new NDList(manager.create(plus, new Shape(B, T, C)), tr, st, en)).getDouble();
                double fm = loss.evaluate(labels, new NDList(manager.create(minus, new Shape(B, T, C)), tr, st, en)).getDouble();
                assertEquals((fp - fm) / (2 * h), analytic[i], 1e-6, "d loss / d emissions[" + i + "]");
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new RecallCostCrfLoss(0, -1f));
        assertEquals("RecallCostCrfLoss: cost is out of range; expected a finite cost >= 0, got -1.0", negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RecallCostCrfLoss(0, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RecallCostCrfLoss(-1, 1f));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList predictions = new NDList(manager.zeros(new Shape(1, 2, C), DataType.FLOAT64), manager.zeros(new Shape(C, C), DataType.FLOAT64),
                    manager.zeros(new Shape(C), DataType.FLOAT64), manager.zeros(new Shape(C), DataType.FLOAT64));
            NDList labels = new NDList(manager.zeros(new Shape(1, 2), DataType.INT64));
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                    () -> new RecallCostCrfLoss(C, 1f).evaluate(labels, predictions));
            assertEquals("RecallCostCrfLoss.evaluate: outsideTag is out of range; expected below the 3 tags of the emissions, got 3",
                    range.getMessage());
        }
    }
}
