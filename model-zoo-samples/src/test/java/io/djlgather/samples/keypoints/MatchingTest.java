package io.djlgather.samples.keypoints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

/** Matching by NDArray ops against the plain double loop it replaced. */
class MatchingTest {

    /** The reference: for each i, the first j of highest cosine similarity, in double. */
    private static int[] naive(float[][] a, float[][] b) {
        int[] best = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            double bestSim = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < b.length; j++) {
                double dot = 0;
                double nx = 0;
                double ny = 0;
                for (int k = 0; k < a[i].length; k++) {
                    dot += a[i][k] * b[j][k];
                    nx += a[i][k] * a[i][k];
                    ny += b[j][k] * b[j][k];
                }
                double sim = dot / (Math.sqrt(nx * ny) + 1e-12);
                if (sim > bestSim) {
                    bestSim = sim;
                    best[i] = j;
                }
            }
        }
        return best;
    }

    private static float[][] random(Random r, int n, int c) {
        float[][] t = new float[n][c];
        for (float[] row : t) {
            for (int k = 0; k < c; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        return t;
    }

    @Test
    void matchesTheNaiveLoop() {
        Random r = new Random(3);
        for (int[] size : new int[][] {{1, 1, 4}, {24, 30, 128}, {7, 5, 3}}) {
            float[][] a = random(r, size[0], size[2]);
            float[][] b = random(r, size[1], size[2]);
            assertArrayEquals(naive(a, b), Matching.match(a, b));
        }
        // zero rows and ties: the first best j, as the loop picks it
        float[][] zeros = {{0, 0}, {1, 1}};
        float[][] same = {{2, 2}, {2, 2}, {0, 0}};
        assertArrayEquals(naive(zeros, same), Matching.match(zeros, same));
        assertArrayEquals(new int[0], Matching.match(new float[0][3], same));
        assertArrayEquals(new int[2], Matching.match(zeros, new float[0][2]));
    }

    @Test
    void aMatchIsCorrectWithinOneAndAHalfPixelsOfTheMappedPoint() {
        // worked by hand: candidates in the second image, and where the first image's 4 keypoints map
        List<Homography.XY> candidates = List.of(
                new Homography.XY(10, 10), new Homography.XY(11.2, 10.9), new Homography.XY(30, 5), new Homography.XY(50, 50));
        List<Homography.XY> mapped = List.of(
                new Homography.XY(10.5, 10.5), // |(10,10)| 0.71, |(11.2,10.9)| 0.81: both within 1.5
                new Homography.XY(31.5, 5),    // |(30,5)| exactly 1.5: correct (<=)
                new Homography.XY(30, 6.6),    // |(30,5)| 1.6: wrong
                new Homography.XY(40, 40));    // nothing near
        int[] match = {1, 2, 2, 0};
        boolean[] correct = Matching.correct(match, candidates, mapped, Matching.TOLERANCE);
        assertArrayEquals(new boolean[] {true, true, false, false}, correct);
        assertEquals(0.5, Matching.rate(correct));
        // chance: (2/4 + 1/4 + 0 + 0) / 4
        assertEquals(0.1875, Matching.chance(candidates, mapped, Matching.TOLERANCE), 1e-12);
        assertEquals(1.5, Matching.TOLERANCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Matching.correct(new int[] {0, 4, 0, 0}, candidates, mapped, 1.5));
        assertEquals("Matching.correct: match[1] must index a candidate; expected 0 to 3, got 4", e.getMessage());
    }
}
