package io.djlgather.ext.nlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The CRF's log partition, gold score and Viterbi against brute force over all C^T paths and a
 * naive loop, with right, left and inner padding, with and without BIO constraints; its
 * gradient against central finite differences in float64.
 */
class CrfBlockTest {

    /** O, B-PER, I-PER, B-LOC: I-PER only after B-PER or I-PER, never first. */
    static final List<String> BIO = List.of("O", "B-PER", "I-PER", "B-LOC");

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** One test batch: Java arrays for the oracle, NDArrays for the op. */
    static final class Batch {
        final int b;
        final int t;
        final int c;
        final double[][][] e;
        final boolean[][] mask;
        final double[][] tr;
        final double[] st;
        final double[] en;
        final long[][] tags;

        Batch(long seed, boolean[][] mask, int c, boolean constrained) {
            Random random = new Random(seed);
            this.mask = mask;
            this.b = mask.length;
            this.t = mask[0].length;
            this.c = c;
            e = new double[b][t][c];
            tags = new long[b][t];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    for (int k = 0; k < c; k++) {
                        e[i][j][k] = 2 * random.nextGaussian();
                    }
                    // padded steps hold garbage tags that must never be read
                    tags[i][j] = mask[i][j] ? random.nextInt(c) : -7;
                }
            }
            tr = new double[c][c];
            st = new double[c];
            en = new double[c];
            boolean[][] allowed = constrained ? CrfBlock.bioConstraints(BIO.subList(0, c)) : null;
            boolean[] allowedStart =
                    constrained ? CrfBlock.bioStartConstraints(BIO.subList(0, c)) : null;
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    tr[i][j] = random.nextGaussian()
                            + (allowed != null && !allowed[i][j] ? CrfBlock.FORBIDDEN : 0);
                }
                st[i] = random.nextGaussian()
                        + (allowedStart != null && !allowedStart[i] ? CrfBlock.FORBIDDEN : 0);
                en[i] = random.nextGaussian();
            }
        }

        NDArray emissions() {
            double[] flat = new double[b * t * c];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    System.arraycopy(e[i][j], 0, flat, (i * t + j) * c, c);
                }
            }
            return manager.create(flat, new Shape(b, t, c));
        }

        NDArray mask() {
            boolean[] flat = new boolean[b * t];
            for (int i = 0; i < b; i++) {
                System.arraycopy(mask[i], 0, flat, i * t, t);
            }
            return manager.create(flat, new Shape(b, t));
        }

        NDArray tags() {
            long[] flat = new long[b * t];
            for (int i = 0; i < b; i++) {
                System.arraycopy(tags[i], 0, flat, i * t, t);
            }
            return manager.create(flat, new Shape(b, t));
        }

        NDArray transitions() {
            double[] flat = new double[c * c];
            for (int i = 0; i < c; i++) {
                System.arraycopy(tr[i], 0, flat, i * c, c);
            }
            return manager.create(flat, new Shape(c, c));
        }

        NDArray start() {
            return manager.create(st);
        }

        NDArray end() {
            return manager.create(en);
        }
    }

    static boolean[][] mask(String... rows) {
        boolean[][] m = new boolean[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            m[i] = new boolean[rows[i].length()];
            for (int j = 0; j < rows[i].length(); j++) {
                m[i][j] = rows[i].charAt(j) == '1';
            }
        }
        return m;
    }

    /** name, mask rows, tag count, BIO constrained. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("full", mask("11111", "11111"), 3, false),
                Arguments.of("right padding", mask("11100", "11111", "10000"), 4, false),
                Arguments.of("left padding", mask("00111", "11111", "00001"), 4, false),
                Arguments.of("inner gaps", mask("10101", "01100"), 3, false),
                Arguments.of("no real step", mask("00000", "11000"), 3, false),
                Arguments.of("right padding, BIO", mask("11110", "11111", "11000"), 4, true),
                Arguments.of("left padding, BIO", mask("01111", "00011", "11111"), 4, true),
                Arguments.of("one tag", mask("111", "011"), 1, false),
                Arguments.of("short, C = 2", mask("11", "01"), 2, false),
                Arguments.of("one step", mask("1", "0"), 3, false),
                Arguments.of("gaps around the middle, BIO",
                        mask("0110110", "1000001", "0001000", "1111111"), 4, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logPartitionMatchesBruteForce(String name, boolean[][] m, int c, boolean bio) {
        Batch batch = new Batch(name.hashCode(), m, c, bio);
        NDArray emissions = batch.emissions();
        NDArray mask = batch.mask();
        NDArray out = CrfBlock.logPartition(emissions, mask, batch.transitions(),
                batch.start(), batch.end());
        assertEquals(new Shape(batch.b), out.getShape());
        assertEquals(DataType.FLOAT64, out.getDataType());
        assertSame(manager, out.getManager());
        double[] got = out.toDoubleArray();
        for (int i = 0; i < batch.b; i++) {
            double want = CrfReference.logPartition(batch.e[i], batch.mask[i], batch.tr,
                    batch.st, batch.en);
            assertEquals(want, got[i], 1e-9 * Math.max(1, Math.abs(want)), name + " b=" + i);
        }
        assertArrayEquals(batch.emissions().toDoubleArray(), emissions.toDoubleArray());
        assertArrayEquals(batch.mask().toBooleanArray(), mask.toBooleanArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void viterbiMatchesBruteForce(String name, boolean[][] m, int c, boolean bio) {
        Batch batch = new Batch(name.hashCode() + 1, m, c, bio);
        try (CrfBlock.Decoded decoded = CrfBlock.viterbiDecode(batch.emissions(), batch.mask(),
                batch.transitions(), batch.start(), batch.end())) {
            assertEquals(new Shape(batch.b, batch.t), decoded.paths().getShape());
            assertEquals(DataType.INT64, decoded.paths().getDataType());
            long[][] paths = decoded.toJavaPaths();
            long[] padded = decoded.paths().toLongArray();
            double[] scores = decoded.scores().toDoubleArray();
            for (int i = 0; i < batch.b; i++) {
                CrfReference.Best want = CrfReference.viterbi(batch.e[i], batch.mask[i],
                        batch.tr, batch.st, batch.en);
                assertArrayEquals(want.path, paths[i], name + " b=" + i);
                assertEquals(want.score, scores[i], 1e-9 * Math.max(1, Math.abs(want.score)));
                for (int j = 0; j < batch.t; j++) {
                    if (!batch.mask[i][j]) {
                        assertEquals(-1, padded[i * batch.t + j], "padded step " + j);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void goldScoreMatchesNaiveLoop(String name, boolean[][] m, int c, boolean bio) {
        Batch batch = new Batch(name.hashCode() + 2, m, c, bio);
        NDArray tags = batch.tags();
        double[] got = CrfBlock.goldScore(batch.emissions(), tags, batch.mask(),
                batch.transitions(), batch.start(), batch.end()).toDoubleArray();
        for (int i = 0; i < batch.b; i++) {
            double want = CrfReference.goldScore(batch.e[i], batch.tags[i], batch.mask[i],
                    batch.tr, batch.st, batch.en);
            assertEquals(want, got[i], 1e-9 * Math.max(1, Math.abs(want)), name + " b=" + i);
        }
        assertArrayEquals(batch.tags().toLongArray(), tags.toLongArray());
    }

    @Test
    void maskMayBeIntegerFloatOrAbsent() {
        Batch batch = new Batch(11, mask("11100", "00111"), 3, false);
        NDArray bool = batch.mask();
        double[] want = CrfBlock.logPartition(batch.emissions(), bool, batch.transitions(),
                batch.start(), batch.end()).toDoubleArray();
        for (DataType type : new DataType[] {DataType.INT32, DataType.INT64, DataType.FLOAT32}) {
            double[] got = CrfBlock.logPartition(batch.emissions(), bool.toType(type, false),
                    batch.transitions(), batch.start(), batch.end()).toDoubleArray();
            assertArrayEquals(want, got, 0, type.toString());
        }
        Batch full = new Batch(12, mask("1111", "1111"), 3, false);
        assertArrayEquals(
                CrfBlock.logPartition(full.emissions(), full.mask(), full.transitions(),
                        full.start(), full.end()).toDoubleArray(),
                CrfBlock.logPartition(full.emissions(), null, full.transitions(),
                        full.start(), full.end()).toDoubleArray(),
                0);
    }

    @Test
    void emptyBatchAndNoStepsAreDefined() {
        NDArray emissions = manager.zeros(new Shape(2, 0, 3), DataType.FLOAT32);
        NDArray tr = manager.zeros(new Shape(3, 3), DataType.FLOAT32);
        NDArray st = manager.ones(new Shape(3), DataType.FLOAT32);
        NDArray en = manager.ones(new Shape(3), DataType.FLOAT32);
        assertArrayEquals(new float[] {0, 0},
                CrfBlock.logPartition(emissions, null, tr, st, en).toFloatArray());
        assertArrayEquals(new float[] {0, 0}, CrfBlock.goldScore(emissions,
                manager.zeros(new Shape(2, 0), DataType.INT64), null, tr, st, en).toFloatArray());
        try (CrfBlock.Decoded decoded = CrfBlock.viterbiDecode(emissions, null, tr, st, en)) {
            assertEquals(new Shape(2, 0), decoded.paths().getShape());
            assertArrayEquals(new long[0], decoded.toJavaPaths()[1]);
            assertArrayEquals(new float[] {0, 0}, decoded.scores().toFloatArray());
        }
        NDArray none = manager.zeros(new Shape(0, 4, 3), DataType.FLOAT32);
        assertEquals(new Shape(0), CrfBlock.logPartition(none, null, tr, st, en).getShape());
        NDList crf = new NDList(none, tr, st, en);
        NDArray loss = new CrfLoss().evaluate(
                new NDList(manager.zeros(new Shape(0, 4), DataType.INT64)), crf);
        assertEquals(0f, loss.getFloat());
    }

    @Test
    void bioConstraintsFollowTheScheme() {
        boolean[][] allowed = CrfBlock.bioConstraints(BIO);
        // to I-PER (column 2): only from B-PER (1) and I-PER (2)
        assertArrayEquals(new boolean[] {false, true, true, false},
                new boolean[] {allowed[0][2], allowed[1][2], allowed[2][2], allowed[3][2]});
        for (int i = 0; i < 4; i++) {
            for (int j : new int[] {0, 1, 3}) {
                assertTrue(allowed[i][j], i + "->" + j);
            }
        }
        assertArrayEquals(new boolean[] {true, true, false, true},
                CrfBlock.bioStartConstraints(BIO));
        boolean[][] two = CrfBlock.bioConstraints(List.of("B-LOC", "I-PER", "I-LOC"));
        assertArrayEquals(new boolean[] {false, true, false},
                new boolean[] {two[0][1], two[1][1], two[2][1]});
        assertArrayEquals(new boolean[] {true, false, true},
                new boolean[] {two[0][2], two[1][2], two[2][2]});
    }

    @Test
    void constrainedBlockNeverDecodesAForbiddenPath() {
        CrfBlock block = CrfBlock.builder().setNumTags(4)
                .optAllowedTransitions(CrfBlock.bioConstraints(BIO))
                .optAllowedStart(CrfBlock.bioStartConstraints(BIO))
                .build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 4));
        // I-PER (2) dominates every step, and O (0) is a close second.
        NDArray emissions = manager.create(new float[] {
            3, 0, 5, 0,
            3, 0, 5, 0,
            3, 0, 5, 0}, new Shape(1, 3, 4));
        try (CrfBlock.Decoded constrained = block.viterbiDecode(emissions, null)) {
            long[] path = constrained.toJavaPaths()[0];
            assertTrue(path[0] != 2, "no I-PER first");
            for (int k = 1; k < path.length; k++) {
                assertTrue(path[k] != 2 || path[k - 1] == 1 || path[k - 1] == 2,
                        "I-PER after " + path[k - 1]);
            }
            // the best allowed path: B-PER I-PER I-PER beats O O O? scores 0+5+5 vs 3+3+3
            assertArrayEquals(new long[] {1, 2, 2}, path);
        }
        CrfBlock free = CrfBlock.builder().setNumTags(4).build();
        free.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 4));
        try (CrfBlock.Decoded unconstrained = free.viterbiDecode(emissions, null)) {
            assertArrayEquals(new long[] {2, 2, 2}, unconstrained.toJavaPaths()[0]);
        }
    }

    @Test
    void blockMethodsUseTheConstrainedParameters() {
        CrfBlock block = CrfBlock.builder().setNumTags(4)
                .optAllowedTransitions(CrfBlock.bioConstraints(BIO))
                .optAllowedStart(CrfBlock.bioStartConstraints(BIO))
                .optAllowedEnd(new boolean[] {true, true, true, false})
                .build();
        block.initialize(manager, DataType.FLOAT64, new Shape(2, 4, 4));
        Batch batch = new Batch(5, mask("1111", "0111"), 4, false);
        NDArray emissions = batch.emissions();
        NDList out = block.forward(new NDList(emissions));
        assertEquals(4, out.size());
        assertSame(emissions, out.get(0));
        double[] tr = out.get(1).toDoubleArray();
        double[] raw = block.getParameters().get("transitions").getArray().toDoubleArray();
        boolean[][] allowed = CrfBlock.bioConstraints(BIO);
        double[][] trJava = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double penalty = allowed[i][j] ? 0 : CrfBlock.FORBIDDEN;
                assertEquals(raw[i * 4 + j] + penalty, tr[i * 4 + j], 1e-12);
                trJava[i][j] = tr[i * 4 + j];
            }
        }
        double[] st = out.get(2).toDoubleArray();
        double[] en = out.get(3).toDoubleArray();
        assertTrue(st[2] < -9000 && en[3] < -9000 && st[0] > -1 && en[2] > -1);
        double[] z = block.logPartition(emissions, batch.mask()).toDoubleArray();
        try (CrfBlock.Decoded decoded = block.viterbiDecode(emissions, batch.mask())) {
            long[][] paths = decoded.toJavaPaths();
            for (int i = 0; i < 2; i++) {
                assertEquals(CrfReference.logPartition(batch.e[i], batch.mask[i], trJava, st, en),
                        z[i], 1e-9);
                assertArrayEquals(
                        CrfReference.viterbi(batch.e[i], batch.mask[i], trJava, st, en).path,
                        paths[i]);
            }
        }
        assertArrayEquals(new Shape[] {new Shape(2, 4, 4), new Shape(4, 4), new Shape(4),
            new Shape(4)}, block.getOutputShapes(new Shape[] {new Shape(2, 4, 4)}));
    }

    @Test
    void nllGradientMatchesCentralFiniteDifferences() {
        Batch batch = new Batch(99, mask("1110", "0111", "1011"), 3, true);
        NDArray emissions = batch.emissions();
        NDArray transitions = batch.transitions();
        NDArray start = batch.start();
        NDArray end = batch.end();
        NDArray mask = batch.mask();
        NDArray tags = batch.tags();
        double[] gradE;
        double[] gradT;
        double[] gradS;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            emissions.setRequiresGradient(true);
            transitions.setRequiresGradient(true);
            start.setRequiresGradient(true);
            end.setRequiresGradient(true);
            NDArray loss = new CrfLoss().evaluate(new NDList(tags, mask),
                    new NDList(emissions, transitions, start, end));
            collector.backward(loss);
            gradE = emissions.getGradient().toDoubleArray();
            gradT = transitions.getGradient().toDoubleArray();
            gradS = start.getGradient().toDoubleArray();
        }
        // h balances rounding (gold paths may cross forbidden transitions: NLL ~ 1e4) and the
        // O(h^2) truncation error of central differences
        double h = 1e-4;
        int c = batch.c;
        for (int i = 0; i < batch.b; i++) {
            for (int j = 0; j < batch.t; j++) {
                for (int k = 0; k < c; k++) {
                    double saved = batch.e[i][j][k];
                    batch.e[i][j][k] = saved + h;
                    double up = meanNll(batch);
                    batch.e[i][j][k] = saved - h;
                    double down = meanNll(batch);
                    batch.e[i][j][k] = saved;
                    assertEquals((up - down) / (2 * h), gradE[(i * batch.t + j) * c + k], 1e-7,
                            "d/de[" + i + "][" + j + "][" + k + "]");
                }
            }
        }
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                double saved = batch.tr[i][j];
                batch.tr[i][j] = saved + h;
                double up = meanNll(batch);
                batch.tr[i][j] = saved - h;
                double down = meanNll(batch);
                batch.tr[i][j] = saved;
                assertEquals((up - down) / (2 * h), gradT[i * c + j], 1e-7,
                        "d/dtransitions[" + i + "][" + j + "]");
            }
            double saved = batch.st[i];
            batch.st[i] = saved + h;
            double up = meanNll(batch);
            batch.st[i] = saved - h;
            double down = meanNll(batch);
            batch.st[i] = saved;
            assertEquals((up - down) / (2 * h), gradS[i], 1e-7, "d/dstart[" + i + "]");
        }
        // sanity: the gradient is not trivially zero
        assertTrue(java.util.Arrays.stream(gradT).anyMatch(g -> Math.abs(g) > 1e-3));
    }

    private static double meanNll(Batch batch) {
        double sum = 0;
        for (int i = 0; i < batch.b; i++) {
            sum += CrfReference.logPartition(batch.e[i], batch.mask[i], batch.tr, batch.st,
                    batch.en)
                    - CrfReference.goldScore(batch.e[i], batch.tags[i], batch.mask[i], batch.tr,
                            batch.st, batch.en);
        }
        return sum / batch.b;
    }
}
