package io.djlgather.samples.keypoints;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.samples.keypoints.CornerDetector.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Nearest-neighbour matching of keypoint descriptors by cosine similarity, the raw-patch
 * baseline, and the picture of the matches.
 */
public final class Matching {

    private Matching() {}

    /**
     * Matches each row of {@code a} to the most similar row of {@code b} by cosine similarity,
     * all pairs at once: one matrix product and one argmax, in float64,
     *
     * <pre>
     * sim[i][j] = (a[i] . b[j]) / (|a[i]| |b[j]| + 1e-12)      match[i] = argmax_j sim[i][j]
     * </pre>
     *
     * (ties go to the lower j, as PyTorch's argmax does).
     *
     * @param a [N][C] descriptors of the first image
     * @param b [M][C] descriptors of the second image
     * @return for each i, the index j of its best match in b (0 when b is empty)
     */
    public static int[] match(float[][] a, float[][] b) {
        if (a.length == 0 || b.length == 0) {
            return new int[a.length];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = table(manager, a);
            NDArray y = table(manager, b);
            // shape: (N, M)
            NDArray dots = x.matMul(y.transpose());
            // shape: (N, 1) x (1, M) -> (N, M): |a[i]| |b[j]|
            NDArray norms = x.norm(new int[] {1}, true).matMul(y.norm(new int[] {1}, true).transpose());
            long[] best = dots.div(norms.add(1e-12)).argMax(1).toLongArray();
            int[] match = new int[best.length];
            for (int i = 0; i < best.length; i++) {
                match[i] = (int) best[i];
            }
            return match;
        }
    }

    /** A [N][C] table as a float64 array (float32 values widen exactly). */
    private static NDArray table(NDManager manager, float[][] rows) {
        int channels = rows[0].length;
        double[] flat = new double[rows.length * channels];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < channels; k++) {
                flat[i * channels + k] = rows[i][k];
            }
        }
        return manager.create(flat, new Shape(rows.length, channels));
    }

    /** Returns the fraction of i with {@code match[i] == i} (keypoint i corresponds to i). */
    public static double rate(int[] match) {
        int hits = 0;
        for (int i = 0; i < match.length; i++) {
            if (match[i] == i) {
                hits++;
            }
        }
        return match.length == 0 ? 0 : (double) hits / match.length;
    }

    /** The match criterion's tolerance: a match is correct within this many pixels of the mapped point. */
    public static final double TOLERANCE = 1.5;

    /**
     * The match criterion: keypoint i of the first image, whose true position in the second is
     * {@code mapped[i]} (the homography applied to it), is matched correctly when the candidate it
     * picked in the second image lies within {@code tolerance} pixels (Euclidean) of that position:
     *
     * <pre>
     * correct[i] = |candidates[match[i]] - mapped[i]| &lt;= tolerance
     * </pre>
     *
     * @param match for each i, the index of its candidate in the second image
     * @param candidates the keypoints of the second image
     * @param mapped for each i, its true position in the second image
     * @param tolerance the largest distance in pixels still correct
     * @return for each i, whether its match is correct
     * @throws IllegalArgumentException if match and mapped differ in length or a match index is
     *     not a candidate
     */
    public static boolean[] correct(int[] match, List<Homography.XY> candidates, List<Homography.XY> mapped, double tolerance) {
        if (match.length != mapped.size()) {
            throw new IllegalArgumentException("Matching.correct: match must have one entry per mapped point; expected "
                    + mapped.size() + ", got " + match.length);
        }
        boolean[] out = new boolean[match.length];
        for (int i = 0; i < match.length; i++) {
            if (match[i] < 0 || match[i] >= candidates.size()) {
                throw new IllegalArgumentException("Matching.correct: match[" + i + "] must index a candidate; expected 0 to "
                        + (candidates.size() - 1) + ", got " + match[i]);
            }
            out[i] = candidates.get(match[i]).distance(mapped.get(i)) <= tolerance;
        }
        return out;
    }

    /** Returns the fraction of true entries (0 for none). */
    public static double rate(boolean[] correct) {
        int hits = 0;
        for (boolean c : correct) {
            hits += c ? 1 : 0;
        }
        return correct.length == 0 ? 0 : (double) hits / correct.length;
    }

    /**
     * The chance rate under {@link #correct}: a match drawn uniformly from the candidates is
     * correct with probability (candidates within tolerance of mapped[i]) / candidates; the mean
     * over i.
     *
     * @param candidates the keypoints of the second image
     * @param mapped the true positions
     * @param tolerance the tolerance
     * @return the expected rate of a random matcher (0 when either list is empty)
     */
    public static double chance(List<Homography.XY> candidates, List<Homography.XY> mapped, double tolerance) {
        if (candidates.isEmpty() || mapped.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (Homography.XY m : mapped) {
            sum += candidates.stream().filter(c -> c.distance(m) <= tolerance).count() / (double) candidates.size();
        }
        return sum / mapped.size();
    }

    /** Returns the largest absolute difference between two equally shaped tables. */
    public static double maxAbsDiff(float[][] x, float[][] y) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < x[i].length; k++) {
                max = Math.max(max, Math.abs(x[i][k] - y[i][k]));
            }
        }
        return max;
    }

    /**
     * The baseline descriptor: the RGB values of the {@code (2r+1)x(2r+1)} patch around each
     * point (edges repeated), minus the patch mean, so that cosine similarity is normalised
     * cross-correlation.
     *
     * @param image the image
     * @param points the keypoints
     * @param r the patch radius
     * @return [N][3(2r+1)^2]
     */
    public static float[][] patches(BufferedImage image, List<Point> points, int r) {
        int side = 2 * r + 1;
        float[][] out = new float[points.size()][3 * side * side];
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            int k = 0;
            double sum = 0;
            for (int v = -r; v <= r; v++) {
                for (int u = -r; u <= r; u++) {
                    int x = Math.min(image.getWidth() - 1, Math.max(0, p.x() + u));
                    int y = Math.min(image.getHeight() - 1, Math.max(0, p.y() + v));
                    int rgb = image.getRGB(x, y);
                    for (int shift = 16; shift >= 0; shift -= 8) {
                        out[i][k] = (rgb >> shift) & 255;
                        sum += out[i][k++];
                    }
                }
            }
            float mean = (float) (sum / out[i].length);
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] -= mean;
            }
        }
        return out;
    }

    /**
     * Draws both images side by side, every keypoint, and a line from each keypoint of the first
     * to its match in the second: green where the match is correct, red where not.
     *
     * @param a first image
     * @param b second image
     * @param pa keypoints of a
     * @param pb keypoints of b
     * @param match the match of each keypoint of a
     * @param correct whether each match is correct
     * @param file the PNG to write
     * @throws IOException if writing fails
     */
    public static void drawMatches(
            BufferedImage a, BufferedImage b, List<Point> pa, List<Point> pb, int[] match, boolean[] correct, Path file)
            throws IOException {
        int scale = 2;
        int gap = 16;
        int w = a.getWidth() * scale;
        int h = a.getHeight() * scale;
        BufferedImage out = new BufferedImage(2 * w + gap, h + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(a, 0, 0, w, h, null);
        g.drawImage(b, w + gap, 0, w, h, null);
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 0; i < pa.size(); i++) {
            Point p = pa.get(i);
            Point q = pb.get(match[i]);
            g.setColor(correct[i] ? new Color(0, 200, 0) : new Color(230, 0, 0));
            g.drawLine(p.x() * scale, p.y() * scale, w + gap + q.x() * scale, q.y() * scale);
        }
        g.setColor(Color.YELLOW);
        for (Point p : pa) {
            g.drawOval(p.x() * scale - 4, p.y() * scale - 4, 8, 8);
        }
        for (Point p : pb) {
            g.drawOval(w + gap + p.x() * scale - 4, p.y() * scale - 4, 8, 8);
        }
        g.setColor(Color.BLACK);
        try {
            g.drawString(
                    "keypoints (yellow), matches by feature cosine similarity: green correct, red wrong",
                    6, h + 20);
        } catch (RuntimeException | Error e) {
            // no usable font: picture without caption
        }
        g.dispose();
        ImageIO.write(out, "png", file.toFile());
    }
}
