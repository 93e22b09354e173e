package io.djlgather.samples.keypoints;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Harris corners: Sobel gradients of the grey image, their products summed over a 5x5 window,
 * response {@code det(M) - 0.05 trace(M)^2}, then the strongest responses at least {@code
 * minDistance} pixels apart.
 */
public final class CornerDetector {

    private CornerDetector() {}

    /**
     * A keypoint in pixel coordinates.
     *
     * @param x column
     * @param y row
     */
    public record Point(int x, int y) {}

    /**
     * Finds up to {@code count} corners at least {@code margin} pixels from every border.
     *
     * @param image the image
     * @param count the most corners to return
     * @param minDistance least distance between two corners (Chebyshev)
     * @param margin least distance from a border
     * @return the corners, strongest first
     */
    public static List<Point> detect(BufferedImage image, int count, int minDistance, int margin) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] grey = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                grey[y * w + x] =
                        (0.299f * ((rgb >> 16) & 255) + 0.587f * ((rgb >> 8) & 255) + 0.114f * (rgb & 255))
                                / 255f;
            }
        }
        float[] ixx = new float[w * h];
        float[] iyy = new float[w * h];
        float[] ixy = new float[w * h];
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                float gx = grey[(y - 1) * w + x + 1] + 2 * grey[y * w + x + 1] + grey[(y + 1) * w + x + 1]
                        - grey[(y - 1) * w + x - 1] - 2 * grey[y * w + x - 1] - grey[(y + 1) * w + x - 1];
                float gy = grey[(y + 1) * w + x - 1] + 2 * grey[(y + 1) * w + x] + grey[(y + 1) * w + x + 1]
                        - grey[(y - 1) * w + x - 1] - 2 * grey[(y - 1) * w + x] - grey[(y - 1) * w + x + 1];
                ixx[y * w + x] = gx * gx;
                iyy[y * w + x] = gy * gy;
                ixy[y * w + x] = gx * gy;
            }
        }
        List<float[]> candidates = new ArrayList<>();
        int lo = Math.max(margin, 3);
        for (int y = lo; y < h - lo; y++) {
            for (int x = lo; x < w - lo; x++) {
                float a = 0;
                float b = 0;
                float c = 0;
                for (int v = -2; v <= 2; v++) {
                    for (int u = -2; u <= 2; u++) {
                        int i = (y + v) * w + x + u;
                        a += ixx[i];
                        b += iyy[i];
                        c += ixy[i];
                    }
                }
                float response = a * b - c * c - 0.05f * (a + b) * (a + b);
                if (response > 1e-3f) {
                    candidates.add(new float[] {response, x, y});
                }
            }
        }
        candidates.sort((p, q) -> Float.compare(q[0], p[0]));
        List<Point> corners = new ArrayList<>();
        for (float[] c : candidates) {
            int x = (int) c[1];
            int y = (int) c[2];
            boolean far = corners.stream()
                    .allMatch(p -> Math.max(Math.abs(p.x() - x), Math.abs(p.y() - y)) >= minDistance);
            if (far) {
                corners.add(new Point(x, y));
                if (corners.size() == count) {
                    break;
                }
            }
        }
        return corners;
    }
}
