package io.djlgather.samples.keypoints;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plane homography: a 3x3 matrix {@code m} (row-major) acting on pixel positions in
 * homogeneous coordinates,
 *
 * <pre>
 * [u, v, w] = m . [x, y, 1]          H(x, y) = (u / w, v / w)
 * </pre>
 *
 * <p>Immutable. {@link #then} composes, {@link #inverse} inverts; {@link #about} builds the
 * rotation, scale, perspective and translation the keypoint sample applies to its second image.
 */
public final class Homography {

    private final double[] m;

    private Homography(double[] m) {
        this.m = m;
    }

    /**
     * A point with sub-pixel coordinates.
     *
     * @param x column
     * @param y row
     */
    public record XY(double x, double y) {

        /** Returns the Euclidean distance to another point. */
        public double distance(XY other) {
            return Math.hypot(x - other.x, y - other.y);
        }
    }

    /**
     * A homography from its 9 entries, row-major.
     *
     * @param entries {@code m00, m01, m02, m10, ..., m22}; copied
     * @return the homography
     * @throws IllegalArgumentException if there are not 9 finite entries or the matrix is singular
     */
    public static Homography of(double... entries) {
        if (entries == null || entries.length != 9) {
            throw new IllegalArgumentException("Homography.of: entries must be 9 (a 3x3 matrix, row-major); got "
                    + (entries == null ? "null" : entries.length));
        }
        for (double e : entries) {
            if (!Double.isFinite(e)) {
                throw new IllegalArgumentException("Homography.of: entries must be finite; got " + Arrays.toString(entries));
            }
        }
        double[] copy = entries.clone();
        if (Math.abs(det(copy)) < 1e-12) {
            throw new IllegalArgumentException("Homography.of: matrix must be invertible; expected |det| >= 1e-12, got det "
                    + det(copy) + " for " + Arrays.toString(entries));
        }
        return new Homography(copy);
    }

    /** Returns the identity. */
    public static Homography identity() {
        return new Homography(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    /**
     * Returns the translation {@code (x, y) -> (x + dx, y + dy)}.
     *
     * @param dx to the right
     * @param dy down
     * @return the homography
     */
    public static Homography translation(double dx, double dy) {
        return of(1, 0, dx, 0, 1, dy, 0, 0, 1);
    }

    /**
     * The second image's transform in the keypoint sample: about the image centre {@code (cx, cy)},
     * a perspective tilt, then scale and rotation, then the centre moved by {@code (dx, dy)}:
     *
     * <pre>
     * p  = (x - cx, y - cy)
     * w  = 1 + px * p.x / cx + py * p.y / cy                 (perspective: w in [1 - |px| - |py|, 1 + |px| + |py|] on the image)
     * q  = scale * R(degrees) . p / w                         (R rotates clockwise on screen, y down)
     * H(x, y) = (cx + dx + q.x, cy + dy + q.y)
     * </pre>
     *
     * @param cx centre column, above 0
     * @param cy centre row, above 0
     * @param degrees rotation
     * @param scale scale factor, above 0
     * @param px perspective along x, |px| + |py| below 1
     * @param py perspective along y
     * @param dx shift to the right
     * @param dy shift down
     * @return the homography
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Homography about(
            double cx, double cy, double degrees, double scale, double px, double py, double dx, double dy) {
        if (!(cx > 0) || !(cy > 0)) {
            throw new IllegalArgumentException("Homography.about: centre must be > 0; got (" + cx + ", " + cy + ")");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("Homography.about: scale must be finite and > 0; got " + scale);
        }
        if (!(Math.abs(px) + Math.abs(py) < 1)) {
            throw new IllegalArgumentException("Homography.about: perspective |px| + |py| must be < 1; got px " + px + ", py " + py);
        }
        if (!Double.isFinite(degrees) || !Double.isFinite(dx) || !Double.isFinite(dy)) {
            throw new IllegalArgumentException("Homography.about: rotation and shift must be finite; got degrees " + degrees
                    + ", shift (" + dx + ", " + dy + ")");
        }
        double t = Math.toRadians(degrees);
        double c = Math.cos(t) * scale;
        double s = Math.sin(t) * scale;
        Homography centre = translation(-cx, -cy);
        Homography tilt = of(1, 0, 0, 0, 1, 0, px / cx, py / cy, 1);
        Homography rotate = of(c, -s, 0, s, c, 0, 0, 0, 1);
        Homography back = translation(cx + dx, cy + dy);
        return centre.then(tilt).then(rotate).then(back);
    }

    /**
     * Returns {@code other} after this: {@code (this.then(other))(p) = other(this(p))}.
     *
     * @param other the homography applied second
     * @return the composition (matrix product {@code other . this})
     */
    public Homography then(Homography other) {
        double[] a = other.m;
        double[] b = m;
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        return new Homography(out);
    }

    /** Returns the inverse (adjugate over determinant). */
    public Homography inverse() {
        double d = det(m);
        double[] out = {
            (m[4] * m[8] - m[5] * m[7]) / d, (m[2] * m[7] - m[1] * m[8]) / d, (m[1] * m[5] - m[2] * m[4]) / d,
            (m[5] * m[6] - m[3] * m[8]) / d, (m[0] * m[8] - m[2] * m[6]) / d, (m[2] * m[3] - m[0] * m[5]) / d,
            (m[3] * m[7] - m[4] * m[6]) / d, (m[1] * m[6] - m[0] * m[7]) / d, (m[0] * m[4] - m[1] * m[3]) / d,
        };
        return new Homography(out);
    }

    /**
     * Maps a point.
     *
     * @param x column
     * @param y row
     * @return {@code H(x, y)}; both coordinates NaN when the point maps to or behind the line at
     *     infinity ({@code w <= 0}), where nothing of the image can land
     */
    public XY apply(double x, double y) {
        double u = m[0] * x + m[1] * y + m[2];
        double v = m[3] * x + m[4] * y + m[5];
        double w = m[6] * x + m[7] * y + m[8];
        if (!(w > 1e-12)) {
            return new XY(Double.NaN, Double.NaN);
        }
        return new XY(u / w, v / w);
    }

    /** Maps a point (see {@link #apply(double, double)}). */
    public XY apply(XY p) {
        return apply(p.x(), p.y());
    }

    /** Returns the 9 entries, row-major (a copy). */
    public double[] matrix() {
        return m.clone();
    }

    /**
     * Returns whether a point lies at least {@code margin} pixels inside a {@code width x height}
     * image (pixel centres at 0 .. width - 1); NaN is outside.
     *
     * @param p the point
     * @param width image width
     * @param height image height
     * @param margin distance kept from every border
     * @return whether it is inside
     */
    public static boolean inside(XY p, int width, int height, double margin) {
        return p.x() >= margin && p.y() >= margin && p.x() <= width - 1 - margin && p.y() <= height - 1 - margin;
    }

    /**
     * Keypoints of a first image that stay in a second image under this homography.
     *
     * @param points the first image's keypoints that were kept, in order
     * @param mapped for each, its position in the second image
     */
    public record Kept(List<CornerDetector.Point> points, List<XY> mapped) {}

    /**
     * Maps keypoints into a {@code width x height} second image and drops those that leave it:
     * a point is kept when its mapped position is at least {@code margin} pixels inside (see
     * {@link #inside}); order is kept.
     *
     * @param points the keypoints of the first image
     * @param width width of the second image
     * @param height height of the second image
     * @param margin distance from every border
     * @return the kept points and where they map
     */
    public Kept keepInside(List<CornerDetector.Point> points, int width, int height, double margin) {
        List<CornerDetector.Point> kept = new ArrayList<>();
        List<XY> mapped = new ArrayList<>();
        for (CornerDetector.Point p : points) {
            XY q = apply(p.x(), p.y());
            if (inside(q, width, height, margin)) {
                kept.add(p);
                mapped.add(q);
            }
        }
        return new Kept(List.copyOf(kept), List.copyOf(mapped));
    }

    private static double det(double[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    @Override
    public String toString() {
        return "Homography" + Arrays.toString(m);
    }
}
