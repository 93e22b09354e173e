package io.djlgather.samples.keypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlgather.samples.keypoints.CornerDetector.Point;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Homographies against hand-worked points and a naive matrix-times-vector reference. */
class HomographyTest {

    /** The reference: [u, v, w] = m . [x, y, 1], then (u / w, v / w), written out. */
    private static double[] naive(double[] m, double x, double y) {
        double u = m[0] * x + m[1] * y + m[2];
        double v = m[3] * x + m[4] * y + m[5];
        double w = m[6] * x + m[7] * y + m[8];
        return new double[] {u / w, v / w};
    }

    private static void assertPoint(double x, double y, Homography.XY p, double tol) {
        assertEquals(x, p.x(), tol, "x of " + p);
        assertEquals(y, p.y(), tol, "y of " + p);
    }

    @Test
    void knownPointsMapByHand() {
        // a quarter turn about (10, 20), clockwise on screen (y down): right of the centre goes below it
        Homography quarter = Homography.about(10, 20, 90, 1, 0, 0, 0, 0);
        assertPoint(10, 20, quarter.apply(10, 20), 1e-12);
        assertPoint(10, 25, quarter.apply(15, 20), 1e-12);
        assertPoint(5, 20, quarter.apply(10, 25), 1e-12);
        // scale 0.5 about (10, 20) then shift (3, -4): (14, 20) -> (12, 20) -> (15, 16)
        assertPoint(15, 16, Homography.about(10, 20, 0, 0.5, 0, 0, 3, -4).apply(14, 20), 1e-12);
        // perspective px = 0.5: w = 1 + 0.5 (x - cx) / cx; at x = 2 cx, w = 1.5: (20, 20) about (10, 10) -> (10 + 10 / 1.5, 10)
        assertPoint(10 + 10 / 1.5, 10, Homography.about(10, 10, 0, 1, 0.5, 0, 0, 0).apply(20, 10), 1e-12);
        assertPoint(7, -2, Homography.translation(2, -5).apply(5, 3), 0);
        assertPoint(5, 3, Homography.identity().apply(5, 3), 0);
    }

    @Test
    void matchesTheNaiveReferenceOnRandomMatrices() {
        Random r = new Random(11);
        for (int t = 0; t < 50; t++) {
            double[] m = new double[9];
            for (int k = 0; k < 9; k++) {
                m[k] = r.nextGaussian();
            }
            m[8] = 5 + r.nextDouble(); // keep w > 0 near the origin
            m[6] *= 0.01;
            m[7] *= 0.01;
            Homography h = Homography.of(m);
            double x = 20 * r.nextDouble();
            double y = 20 * r.nextDouble();
            double[] want = naive(m, x, y);
            assertPoint(want[0], want[1], h.apply(x, y), 1e-9);
        }
    }

    @Test
    void inverseRoundTripsAndCompositionAppliesInOrder() {
        Random r = new Random(5);
        Homography h = Homography.about(95.5, 63, 15, 0.85, 0.1, -0.05, 7, 5);
        Homography g = Homography.about(40, 40, -30, 1.3, 0, 0.08, -3, 2);
        Homography hThenG = h.then(g);
        for (int t = 0; t < 100; t++) {
            double x = 190 * r.nextDouble();
            double y = 126 * r.nextDouble();
            Homography.XY there = h.apply(x, y);
            assertPoint(x, y, h.inverse().apply(there), 1e-9);
            Homography.XY both = g.apply(there);
            assertPoint(both.x(), both.y(), hThenG.apply(x, y), 1e-9);
        }
        double[] id = h.then(h.inverse()).matrix();
        double[] want = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        for (int k = 0; k < 9; k++) {
            assertEquals(want[k] * id[8], id[k], 1e-12, "entry " + k);
        }
    }

    @Test
    void pointsBehindTheLineAtInfinityMapToNaNAndAreOutside() {
        Homography h = Homography.of(1, 0, 0, 0, 1, 0, -0.1, 0, 1); // w <= 0 from x = 10 on
        Homography.XY p = h.apply(12, 3);
        assertTrue(Double.isNaN(p.x()) && Double.isNaN(p.y()));
        assertTrue(!Homography.inside(p, 100, 100, 0));
    }

    @Test
    void keepInsideDropsPointsThatLeaveTheFrame() {
        // shift by (7, 5) into a 30 x 20 image with margin 2: x + 7 <= 27 and y + 5 <= 17 stay
        Homography shift = Homography.translation(7, 5);
        List<Point> points = List.of(new Point(0, 0), new Point(20, 12), new Point(21, 3), new Point(5, 13), new Point(-6, 4));
        Homography.Kept kept = shift.keepInside(points, 30, 20, 2);
        assertEquals(List.of(new Point(0, 0), new Point(20, 12)), kept.points());
        assertEquals(List.of(new Homography.XY(7, 5), new Homography.XY(27, 17)), kept.mapped());
        // a rotation about the centre keeps the centre and drops the corners
        Homography turn = Homography.about(50, 50, 45, 1, 0, 0, 0, 0);
        Homography.Kept turned = turn.keepInside(List.of(new Point(50, 50), new Point(1, 1), new Point(99, 99)), 101, 101, 0);
        assertEquals(List.of(new Point(50, 50)), turned.points());
    }

    @Test
    void badArgumentsNameTheOpArgumentAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Homography.of(1, 2, 3));
        assertEquals("Homography.of: entries must be 9 (a 3x3 matrix, row-major); got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Homography.of(1, 2, 0, 2, 4, 0, 0, 0, 1));
        assertTrue(e.getMessage().startsWith("Homography.of: matrix must be invertible"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Homography.about(10, 10, 0, -1, 0, 0, 0, 0));
        assertEquals("Homography.about: scale must be finite and > 0; got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Homography.about(10, 10, 0, 1, 0.7, 0.4, 0, 0));
        assertEquals("Homography.about: perspective |px| + |py| must be < 1; got px 0.7, py 0.4", e.getMessage());
    }
}
