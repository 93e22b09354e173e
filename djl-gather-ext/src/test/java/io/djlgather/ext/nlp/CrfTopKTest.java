package io.djlgather.ext.nlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Top-k Viterbi against brute force over all C^n paths of each sequence (C &lt;= 4, T &lt;= 6,
 * k &lt;= 5): random float64 scores with right, left and inner padding and empty sequences;
 * integer scores with many ties, whose order the brute force fixes independently (score
 * descending, then the path read backwards from its last step, lexicographically); k larger
 * than the number of paths; BIO constraints through a block; k = 1 against Viterbi.
 */
class CrfTopKTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** One path over the real steps and its score. */
    record Scored(int[] path, double score) {}

    /** Every path over the real steps, best first, ties by the reversed path, lexicographically. */
    static List<Scored> bruteForce(double[][] e, boolean[] mask, double[][] tr, double[] st, double[] en) {
        int[] steps = CrfReference.realSteps(mask);
        List<Scored> all = new ArrayList<>();
        if (steps.length == 0) {
            all.add(new Scored(new int[0], 0));
            return all;
        }
        int c = st.length;
        int total = (int) Math.pow(c, steps.length);
        for (int p = 0; p < total; p++) {
            int[] y = new int[steps.length];
            int rest = p;
            for (int i = y.length - 1; i >= 0; i--) {
                y[i] = rest % c;
                rest /= c;
            }
            all.add(new Scored(y, CrfReference.pathScore(e, steps, y, tr, st, en)));
        }
        Comparator<Scored> byScore = Comparator.comparingDouble(Scored::score).reversed();
        all.sort(byScore.thenComparing((a, b) -> {
            for (int i = a.path.length - 1; i >= 0; i--) {
                if (a.path[i] != b.path[i]) {
                    return Integer.compare(a.path[i], b.path[i]);
                }
            }
            return 0;
        }));
        return all;
    }

    /** Random case: scores uniform in (-2, 2), or integers in {0, 1} (ties everywhere). */
    static final class Case {
        final int b;
        final int t;
        final int c;
        final double[][][] e;
        final boolean[][] mask;
        final double[][] tr;
        final double[] st;
        final double[] en;

        Case(Random random, int b, int t, int c, boolean integers) {
            this.b = b;
            this.t = t;
            this.c = c;
            e = new double[b][t][c];
            mask = new boolean[b][t];
            tr = new double[c][c];
            st = new double[c];
            en = new double[c];
            for (int i = 0; i < b; i++) {
                int layout = random.nextInt(4);
                int length = random.nextInt(t + 1);
                for (int s = 0; s < t; s++) {
                    for (int j = 0; j < c; j++) {
                        e[i][s][j] = value(random, integers);
                    }
                    switch (layout) {
                        case 0: mask[i][s] = s < length; break;             // right padding
                        case 1: mask[i][s] = s >= t - length; break;        // left padding
                        case 2: mask[i][s] = random.nextBoolean(); break;   // gaps anywhere
                        default: mask[i][s] = true;
                    }
                }
            }
            for (int j = 0; j < c; j++) {
                st[j] = value(random, integers);
                en[j] = value(random, integers);
                for (int k = 0; k < c; k++) {
                    tr[j][k] = value(random, integers);
                }
            }
        }

        private static double value(Random random, boolean integers) {
            return integers ? random.nextInt(2) : random.nextDouble() * 4 - 2;
        }

        NDArray emissions() {
            double[] flat = new double[b * t * c];
            for (int i = 0; i < b; i++) {
                for (int s = 0; s < t; s++) {
                    for (int j = 0; j < c; j++) {
                        flat[(i * t + s) * c + j] = e[i][s][j];
                    }
                }
            }
            return manager.create(flat, new Shape(b, t, c));
        }

        NDArray maskArray() {
            boolean[] flat = new boolean[b * t];
            for (int i = 0; i < b; i++) {
                System.arraycopy(mask[i], 0, flat, i * t, t);
            }
            return manager.create(flat, new Shape(b, t));
        }

        NDArray transitions() {
            double[] flat = new double[c * c];
            for (int j = 0; j < c; j++) {
                System.arraycopy(tr[j], 0, flat, j * c, c);
            }
            return manager.create(flat, new Shape(c, c));
        }
    }

    /** Checks one decoded batch against brute force, rank by rank. */
    static void check(Case x, int k, CrfTopPaths top, String what) {
        long[][][] paths = top.toJavaPaths();
        double[][] scores = top.toJavaScores();
        float[] rawScores = top.scores().toType(DataType.FLOAT32, false).toFloatArray();
        long[] rawPaths = top.paths().toLongArray();
        assertEquals(new Shape(x.b, k, x.t), top.paths().getShape(), what);
        assertEquals(new Shape(x.b, k), top.scores().getShape(), what);
        for (int i = 0; i < x.b; i++) {
            List<Scored> expected = bruteForce(x.e[i], x.mask[i], x.tr, x.st, x.en);
            int present = Math.min(k, expected.size());
            String at = what + ", sequence " + i + " mask " + Arrays.toString(x.mask[i]);
            assertEquals(present, paths[i].length, at + ": ranks");
            assertEquals(present, scores[i].length, at + ": scores");
            for (int r = 0; r < present; r++) {
                Scored want = expected.get(r);
                long[] wantPath = Arrays.stream(want.path).asLongStream().toArray();
                assertArrayEquals(wantPath, paths[i][r], at + ", rank " + r + ": path (score " + want.score + ")");
                assertEquals(want.score, scores[i][r], 1e-9 * Math.max(1, Math.abs(want.score)), at + ", rank " + r);
                for (int s = 0; s < x.t; s++) {
                    long tag = rawPaths[(i * k + r) * x.t + s];
                    assertEquals(x.mask[i][s], tag >= 0, at + ", rank " + r + ", step " + s + ": -1 exactly at padded steps");
                }
            }
            for (int r = present; r < k; r++) {
                assertEquals(Float.NEGATIVE_INFINITY, rawScores[i * k + r], at + ", missing rank " + r);
                for (int s = 0; s < x.t; s++) {
                    assertEquals(-1, rawPaths[(i * k + r) * x.t + s], at + ", missing rank " + r);
                }
            }
        }
    }

    @Test
    void randomScoresMatchBruteForce() {
        Random random = new Random(20261202);
        int cases = 0;
        for (int c = 1; c <= 4; c++) {
            for (int t = 0; t <= 6; t++) {
                for (int k = 1; k <= 5; k++) {
                    Case x = new Case(random, 4, t, c, false);
                    try (NDArray e = x.emissions(); NDArray m = x.maskArray(); NDArray tr = x.transitions();
                            NDArray st = manager.create(x.st); NDArray en = manager.create(x.en);
                            CrfTopPaths top = CrfBlock.viterbiTopK(e, m, tr, st, en, k)) {
                        check(x, k, top, "C=" + c + " T=" + t + " k=" + k);
                        assertEquals(DataType.FLOAT64, top.scores().getDataType());
                        assertEquals(DataType.INT64, top.paths().getDataType());
                    }
                    cases++;
                }
            }
        }
        assertEquals(140, cases);
    }

    @Test
    void tiesFollowTheReversedPathOrder() {
        Random random = new Random(7);
        for (int round = 0; round < 60; round++) {
            int c = 2 + random.nextInt(3);
            int t = 1 + random.nextInt(6);
            int k = 1 + random.nextInt(5);
            Case x = new Case(random, 3, t, c, true);
            try (NDArray e = x.emissions(); NDArray m = x.maskArray(); NDArray tr = x.transitions();
                    NDArray st = manager.create(x.st); NDArray en = manager.create(x.en);
                    CrfTopPaths top = CrfBlock.viterbiTopK(e, m, tr, st, en, k)) {
                check(x, k, top, "ties, round " + round + " C=" + c + " T=" + t + " k=" + k);
            }
        }
    }

    @Test
    void allEqualScoresRankEveryPathInReversedLexicographicOrder() {
        // C = 2, T = 2, every score 0: four paths of score 0, ranked [0,0], [1,0], [0,1], [1,1]
        try (NDArray e = manager.zeros(new Shape(1, 2, 2), DataType.FLOAT32);
                NDArray tr = manager.zeros(new Shape(2, 2), DataType.FLOAT32);
                NDArray st = manager.zeros(new Shape(2), DataType.FLOAT32);
                NDArray en = manager.zeros(new Shape(2), DataType.FLOAT32);
                CrfTopPaths top = CrfBlock.viterbiTopK(e, null, tr, st, en, 5)) {
            long[][][] paths = top.toJavaPaths();
            assertEquals(4, paths[0].length);
            assertArrayEquals(new long[] {0, 0}, paths[0][0]);
            assertArrayEquals(new long[] {1, 0}, paths[0][1]);
            assertArrayEquals(new long[] {0, 1}, paths[0][2]);
            assertArrayEquals(new long[] {1, 1}, paths[0][3]);
            assertArrayEquals(new float[] {0, 0, 0, 0, Float.NEGATIVE_INFINITY}, top.scores().toFloatArray());
        }
    }

    @Test
    void kLargerThanThePathsLeavesMissingRanks() {
        Random random = new Random(3);
        Case x = new Case(random, 3, 2, 2, false);
        x.mask[0] = new boolean[] {true, true};   // 4 paths
        x.mask[1] = new boolean[] {false, true};  // 2 paths
        x.mask[2] = new boolean[] {false, false}; // 1 path: the empty one
        try (NDArray e = x.emissions(); NDArray m = x.maskArray(); NDArray tr = x.transitions();
                NDArray st = manager.create(x.st); NDArray en = manager.create(x.en);
                CrfTopPaths top = CrfBlock.viterbiTopK(e, m, tr, st, en, 5)) {
            check(x, 5, top, "k > paths");
            assertEquals(4, top.toJavaPaths()[0].length);
            assertEquals(2, top.toJavaPaths()[1].length);
            assertEquals(1, top.toJavaPaths()[2].length);
            assertEquals(0, top.toJavaPaths()[2][0].length);
            assertEquals(0.0, top.toJavaScores()[2][0]);
        }
    }

    @Test
    void firstRankIsViterbis() {
        Random random = new Random(11);
        for (int round = 0; round < 20; round++) {
            Case x = new Case(random, 4, 1 + random.nextInt(6), 1 + random.nextInt(4), round % 2 == 0);
            try (NDArray e = x.emissions().toType(DataType.FLOAT32, false); NDArray m = x.maskArray();
                    NDArray tr = x.transitions().toType(DataType.FLOAT32, false);
                    NDArray st = manager.create(x.st).toType(DataType.FLOAT32, false);
                    NDArray en = manager.create(x.en).toType(DataType.FLOAT32, false);
                    CrfTopPaths top = CrfBlock.viterbiTopK(e, m, tr, st, en, 3);
                    CrfBlock.Decoded best = CrfBlock.viterbiDecode(e, m, tr, st, en)) {
                assertArrayEquals(best.scores().toFloatArray(), top.scores().get(":, 0").toFloatArray(), 1e-5f);
                // viterbiDecode leaves the choice among tied best paths unspecified (its forward and
                // backward halves meet in the middle); top-k orders ties by the reversed path. So:
                // Viterbi's path must be a best path, and the very same path where the best is unique.
                long[] flat = best.paths().toLongArray();
                for (int i = 0; i < x.b; i++) {
                    List<Scored> all = bruteForce(x.e[i], x.mask[i], x.tr, x.st, x.en);
                    int[] steps = CrfReference.realSteps(x.mask[i]);
                    int[] path = new int[steps.length];
                    for (int s = 0; s < steps.length; s++) {
                        path[s] = (int) flat[i * x.t + steps[s]];
                    }
                    double score = steps.length == 0 ? 0 : CrfReference.pathScore(x.e[i], steps, path, x.tr, x.st, x.en);
                    assertEquals(all.get(0).score, score, 1e-4, "round " + round + ", sequence " + i);
                    boolean unique = all.size() == 1 || all.get(1).score < all.get(0).score - 1e-4;
                    if (unique) {
                        assertArrayEquals(all.get(0).path, path, "round " + round + ", sequence " + i);
                        long[] first = top.paths().get(i + ", 0, :").toLongArray();
                        long[] row = java.util.Arrays.copyOfRange(flat, i * x.t, (i + 1) * x.t);
                        assertArrayEquals(row, first, "round " + round + ", sequence " + i);
                    }
                }
            }
        }
    }

    @Test
    void blockAppliesItsConstraints() {
        List<String> tags = List.of("O", "B-PER", "I-PER", "B-LOC");
        CrfBlock block = CrfBlock.builder().setNumTags(4)
                .optAllowedTransitions(CrfBlock.bioConstraints(tags))
                .optAllowedStart(CrfBlock.bioStartConstraints(tags))
                .build();
        block.initialize(manager, DataType.FLOAT64, new Shape(2, 4, 4));
        Random random = new Random(5);
        Case x = new Case(random, 2, 4, 4, false);
        boolean[][] allowed = block.getAllowedTransitions();
        boolean[] start = block.getAllowedStart();
        double[] tr = block.getParameters().get("transitions").getArray().toDoubleArray();
        double[] st = block.getParameters().get("start").getArray().toDoubleArray();
        double[] en = block.getParameters().get("end").getArray().toDoubleArray();
        for (int i = 0; i < 4; i++) {
            x.st[i] = st[i] + (start[i] ? 0 : CrfBlock.FORBIDDEN);
            x.en[i] = en[i];
            for (int j = 0; j < 4; j++) {
                x.tr[i][j] = tr[i * 4 + j] + (allowed[i][j] ? 0 : CrfBlock.FORBIDDEN);
            }
        }
        try (NDArray e = x.emissions(); NDArray m = x.maskArray(); CrfTopPaths top = block.viterbiTopK(e, m, 5)) {
            check(x, 5, top, "BIO block");
            assertSame(e.getManager(), top.paths().getManager());
            assertSame(e.getManager(), top.scores().getManager());
        }
        try (NDArray e = x.emissions(); NDArray m = x.maskArray()) {
            NDList out = block.forward(new NDList(e));
            try (CrfTopPaths top = CrfBlock.viterbiTopK(out, m, 5)) {
                check(x, 5, top, "BIO block output");
            }
        }
    }

    @Test
    void halfPrecisionIsComputedInFloat32() {
        Random random = new Random(13);
        Case x = new Case(random, 2, 3, 3, true); // small integers are exact in float16
        try (NDArray e = x.emissions().toType(DataType.FLOAT16, false); NDArray m = x.maskArray();
                NDArray tr = x.transitions().toType(DataType.FLOAT16, false);
                NDArray st = manager.create(x.st).toType(DataType.FLOAT16, false);
                NDArray en = manager.create(x.en).toType(DataType.FLOAT16, false);
                CrfTopPaths top = CrfBlock.viterbiTopK(e, m, tr, st, en, 4)) {
            assertEquals(DataType.FLOAT16, top.scores().getDataType());
            check(x, 4, top, "float16");
        }
    }

    @Test
    void inputsAreNotModified() {
        Random random = new Random(17);
        Case x = new Case(random, 2, 4, 3, false);
        try (NDArray e = x.emissions(); NDArray m = x.maskArray(); NDArray tr = x.transitions();
                NDArray st = manager.create(x.st); NDArray en = manager.create(x.en)) {
            double[] before = e.toDoubleArray();
            boolean[] maskBefore = m.toBooleanArray();
            double[] trBefore = tr.toDoubleArray();
            try (CrfTopPaths top = CrfBlock.viterbiTopK(e, m, tr, st, en, 3)) {
                assertEquals(2, top.paths().getShape().get(0));
            }
            assertArrayEquals(before, e.toDoubleArray());
            assertArrayEquals(maskBefore, m.toBooleanArray());
            assertArrayEquals(trBefore, tr.toDoubleArray());
            assertArrayEquals(x.st, st.toDoubleArray());
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheirValues() {
        try (NDArray e = manager.zeros(new Shape(2, 3, 4)); NDArray tr = manager.zeros(new Shape(4, 4));
                NDArray st = manager.zeros(new Shape(4)); NDArray en = manager.zeros(new Shape(4))) {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                    () -> CrfBlock.viterbiTopK(e, null, tr, st, en, 0));
            assertEquals("viterbiTopK: k is out of range; expected 1 <= k <= 65536, got 0", zero.getMessage());
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                    () -> CrfBlock.viterbiTopK(e, null, tr, st, en, 65537));
            assertEquals("viterbiTopK: k is out of range; expected 1 <= k <= 65536, got 65537", huge.getMessage());
            IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
                    () -> CrfBlock.viterbiTopK(e, manager.ones(new Shape(2, 4)), tr, st, en, 2));
            assertTrue(mask.getMessage().startsWith("viterbiTopK: mask"), mask.getMessage());
            IllegalArgumentException transitions = assertThrows(IllegalArgumentException.class,
                    () -> CrfBlock.viterbiTopK(e, null, manager.zeros(new Shape(3, 3)), st, en, 2));
            assertTrue(transitions.getMessage().startsWith("viterbiTopK: transitions has the wrong shape"),
                    transitions.getMessage());
            IllegalArgumentException list = assertThrows(IllegalArgumentException.class,
                    () -> CrfBlock.viterbiTopK(new NDList(e), null, 2));
            assertEquals("viterbiTopK: crfOutput is not a CrfBlock output; expected 4 arrays (emissions, transitions,"
                    + " start, end), got 1 arrays", list.getMessage());
            IllegalArgumentException noTags = assertThrows(IllegalArgumentException.class,
                    () -> CrfBlock.viterbiTopK(manager.zeros(new Shape(1, 2, 0)), null,
                            manager.zeros(new Shape(0, 0)), manager.zeros(new Shape(0)), manager.zeros(new Shape(0)), 2));
            assertTrue(noTags.getMessage().startsWith("viterbiTopK: emissions has no tags"), noTags.getMessage());
            IllegalArgumentException ints = assertThrows(IllegalArgumentException.class,
                    () -> CrfBlock.viterbiTopK(manager.zeros(new Shape(1, 2, 4), DataType.INT64), null, tr, st, en, 2));
            assertTrue(ints.getMessage().startsWith("viterbiTopK: emissions must hold floating point scores"),
                    ints.getMessage());
        }
    }
}
