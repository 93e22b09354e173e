package io.djlgather.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A small line chart drawn with java.awt (headless): one or two series against epochs, the
 * first on the left axis, the second on a right axis from 0 to 1.
 */
public final class LinePlot {

    private LinePlot() {}

    /**
     * A named series of y values at x = 1, 2, ... (or firstX, firstX + 1, ...)
     *
     * @param name legend text
     * @param values the points
     * @param color line colour
     */
    public record Series(String name, List<Double> values, Color color) {}

    /**
     * Writes the chart as a PNG.
     *
     * @param file the PNG file (its folder is created)
     * @param title the title
     * @param left the series on the left axis (its own range)
     * @param right a series on a [0, 1] right axis, or null
     * @throws IOException if writing fails
     */
    public static void write(Path file, String title, Series left, Series right) throws IOException {
        write(file, title, 1, left, right);
    }

    /**
     * Writes the chart as a PNG, with the first point at epoch {@code firstX} (0 for a series
     * that starts with the untrained model).
     *
     * @param file the PNG file (its folder is created)
     * @param title the title
     * @param firstX the epoch of the first point
     * @param left the series on the left axis (its own range)
     * @param right a series on a [0, 1] right axis, or null
     * @throws IOException if writing fails
     */
    public static void write(Path file, String title, int firstX, Series left, Series right) throws IOException {
        int w = 640;
        int h = 400;
        int l = 70;
        int r = right == null ? 30 : 70;
        int t = 50;
        int b = 60;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int n = left.values().size();
        double max = left.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double min = Math.min(0, left.values().stream().mapToDouble(Double::doubleValue).min().orElse(0));
        if (max <= min) {
            max = min + 1;
        }
        g.setColor(new Color(230, 230, 230));
        for (int i = 0; i <= 5; i++) {
            int y = t + (h - t - b) * i / 5;
            g.drawLine(l, y, w - r, y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(l, t, w - l - r, h - t - b);
        double lo = min;
        double hi = max;
        text(g, title, l, 30);
        for (int i = 0; i <= 5; i++) {
            int y = t + (h - t - b) * i / 5;
            text(g, String.format("%.2f", hi - (hi - lo) * i / 5), 8, y + 5);
            if (right != null) {
                text(g, String.format("%.1f", 1 - i / 5.0), w - r + 8, y + 5);
            }
        }
        for (int i = 0; i < n; i++) {
            text(g, Integer.toString(i + firstX), x(i, n, l, w - r) - 4, h - b + 20);
        }
        text(g, "epoch", (l + w - r) / 2 - 15, h - 15);
        draw(g, left, lo, hi, n, l, w - r, t, h - b);
        text(g, left.name(), l + 10, h - b - 10);
        if (right != null) {
            draw(g, right, 0, 1, n, l, w - r, t, h - b);
            g.setColor(right.color());
            text(g, right.name(), w - r - 160, t + 20);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static int x(int i, int n, int x0, int x1) {
        return n <= 1 ? (x0 + x1) / 2 : x0 + 10 + (x1 - x0 - 20) * i / (n - 1);
    }

    private static void draw(Graphics2D g, Series s, double lo, double hi, int n, int x0, int x1, int y0, int y1) {
        g.setColor(s.color());
        g.setStroke(new BasicStroke(2.5f));
        int px = -1;
        int py = -1;
        for (int i = 0; i < s.values().size(); i++) {
            int x = x(i, n, x0, x1);
            int y = (int) Math.round(y1 - (y1 - y0) * (s.values().get(i) - lo) / (hi - lo));
            g.fillOval(x - 4, y - 4, 8, 8);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** Draws text, skipping it where the JVM has no usable font. */
    static void text(Graphics2D g, String s, int x, int y) {
        try {
            g.drawString(s, x, y);
        } catch (RuntimeException | Error e) {
            // headless JVM without fonts: the chart stays readable without its labels
        }
    }
}
