package io.djlgather.samples.keypoints;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Generated test images: a textured scene of random shapes (so that it has corners to detect),
 * and the shifted, noisy copy the matching sample compares it with.
 */
public final class TestImages {

    private TestImages() {}

    /**
     * Draws a scene of about 30 random shapes over a gradient.
     *
     * @param width width in pixels
     * @param height height in pixels
     * @param seed the random seed; the same seed gives the same image
     * @return an RGB image
     */
    public static BufferedImage scene(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(40, 60, 90), width, height, new Color(200, 190, 150)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 30; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            int w = 8 + random.nextInt(width / 5);
            int h = 8 + random.nextInt(height / 5);
            switch (random.nextInt(4)) {
                case 0 -> g.fillRect(x - w / 2, y - h / 2, w, h);
                case 1 -> g.fillOval(x - w / 2, y - h / 2, w, h);
                case 2 -> g.fillPolygon(
                        new int[] {x, x + w, x - w / 2},
                        new int[] {y - h, y + h / 2, y + h / 3},
                        3);
                default -> {
                    g.setStroke(new BasicStroke(1 + random.nextInt(4)));
                    g.drawLine(x, y, x + random.nextInt(2 * w) - w, y + random.nextInt(2 * h) - h);
                }
            }
        }
        g.dispose();
        return image;
    }

    /**
     * Returns a copy moved by {@code (dx, dy)} pixels, so that {@code out(x + dx, y + dy) =
     * in(x, y)} (edges repeated where nothing moves in), with a contrast and brightness change
     * and Gaussian noise of standard deviation {@code noise * 255} per channel (no blur, no
     * gamma).
     *
     * @param in the image
     * @param dx shift to the right
     * @param dy shift down
     * @param noise noise level in [0, 1]
     * @param seed seed of the noise
     * @return the new image
     */
    public static BufferedImage shifted(BufferedImage in, int dx, int dy, double noise, long seed) {
        return perturbed(in, dx, dy, 0, 1, noise, seed);
    }

    /**
     * Returns a moved and photometrically changed copy, so that keypoint matching between the two
     * has to cope with what a second photograph changes. Per channel value v in [0, 255]:
     *
     * <pre>
     * shifted(x + dx, y + dy) = in(x, y)          (edges repeated)
     * blurred  = Gaussian blur of shifted, standard deviation blur pixels (none when 0)
     * contrast = 0.85 * blurred + 20
     * out      = 255 * (contrast / 255)^gamma + N(0, (noise * 255)^2), clamped to [0, 255]
     * </pre>
     *
     * @param in the image
     * @param dx shift to the right
     * @param dy shift down
     * @param blur standard deviation of the Gaussian blur in pixels, 0 for none
     * @param gamma the gamma exponent (1 keeps the tone curve)
     * @param noise noise level in [0, 1]
     * @param seed seed of the noise
     * @return the new image
     */
    public static BufferedImage perturbed(
            BufferedImage in, int dx, int dy, double blur, double gamma, double noise, long seed) {
        return perturbed(in, dx, dy, blur, 0.85, 20, gamma, noise, seed);
    }

    /**
     * {@link #perturbed(BufferedImage, int, int, double, double, double, long)} with the contrast
     * and brightness as parameters (there 0.85 and +20):
     *
     * <pre>
     * changed = contrast * blurred + brightness, clamped to [0, 255]
     * out     = 255 * (changed / 255)^gamma + N(0, (noise * 255)^2), clamped to [0, 255]
     * </pre>
     *
     * @param in the image
     * @param dx shift to the right
     * @param dy shift down
     * @param blur standard deviation of the Gaussian blur in pixels, 0 for none
     * @param contrast the factor on every value (1 keeps it)
     * @param brightness the offset added after the factor, in [-255, 255] (0 keeps it)
     * @param gamma the gamma exponent (1 keeps the tone curve)
     * @param noise noise level in [0, 1]
     * @param seed seed of the noise
     * @return the new image
     */
    public static BufferedImage perturbed(
            BufferedImage in, int dx, int dy, double blur, double contrast, double brightness,
            double gamma, double noise, long seed) {
        Random random = new Random(seed);
        int w = in.getWidth();
        int h = in.getHeight();
        // shape: [3][h][w]
        double[][][] planes = new double[3][h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = Math.min(w - 1, Math.max(0, x - dx));
                int sy = Math.min(h - 1, Math.max(0, y - dy));
                int rgb = in.getRGB(sx, sy);
                planes[0][y][x] = (rgb >> 16) & 255;
                planes[1][y][x] = (rgb >> 8) & 255;
                planes[2][y][x] = rgb & 255;
            }
        }
        if (blur > 0) {
            for (double[][] plane : planes) {
                blurPlane(plane, blur);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = channel(planes[0][y][x], random, contrast, brightness, gamma, noise);
                int g = channel(planes[1][y][x], random, contrast, brightness, gamma, noise);
                int b = channel(planes[2][y][x], random, contrast, brightness, gamma, noise);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** Separable Gaussian blur in place, kernel radius 3 sigma, edges repeated. */
    private static void blurPlane(double[][] plane, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        int h = plane.length;
        int w = plane[0].length;
        double[][] tmp = new double[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    v += kernel[k + radius] * plane[y][Math.min(w - 1, Math.max(0, x + k))];
                }
                tmp[y][x] = v;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    v += kernel[k + radius] * tmp[Math.min(h - 1, Math.max(0, y + k))][x];
                }
                plane[y][x] = v;
            }
        }
    }

    private static int channel(
            double v, Random random, double contrast, double brightness, double gamma, double noise) {
        double changed = Math.max(0, Math.min(255, contrast * v + brightness));
        double toned = gamma == 1 ? changed : 255 * Math.pow(changed / 255, gamma);
        double value = toned + random.nextGaussian() * noise * 255;
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }
}
