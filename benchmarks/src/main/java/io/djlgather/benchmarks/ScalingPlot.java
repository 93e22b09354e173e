package io.djlgather.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.ImageIO;

/**
 * Draws the scaling plot: time per element against N, both axes logarithmic, one line per op,
 * with the model floor / N + cost dashed and the knee (floor / cost) marked. Plain java.awt,
 * headless.
 */
final class ScalingPlot {

    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728)};

    private ScalingPlot() {}

    static void draw(Report report, Path png) throws IOException {
        String[] ops = {"gather", "scatterAdd"};
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (String op : ops) {
            for (Map.Entry<Long, Double> e : report.scaling(op).entrySet()) {
                double y = e.getValue() / e.getKey();
                minX = Math.min(minX, e.getKey());
                maxX = Math.max(maxX, e.getKey());
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        // whole decades on y, whole powers of two on x
        double y0 = Math.pow(10, Math.floor(Math.log10(minY)));
        double y1 = Math.pow(10, Math.ceil(Math.log10(maxY)));
        int x0 = (int) Math.floor(log2(minX));
        int x1 = (int) Math.ceil(log2(maxX));

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();

        Axes ax = new Axes(x0, x1, Math.log10(y0), Math.log10(y1));
        // grid and ticks
        g.setStroke(new BasicStroke(1));
        for (int p = x0; p <= x1; p++) {
            int x = ax.px(p);
            g.setColor(new Color(0xe5e5e5));
            g.drawLine(x, TOP, x, H - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            String label = "2^" + p;
            g.drawString(label, x - fm.stringWidth(label) / 2, H - BOTTOM + 18);
        }
        for (int d = (int) Math.log10(y0); d <= (int) Math.log10(y1); d++) {
            for (int m = 1; m < 10; m++) {
                double v = Math.log10(m * Math.pow(10, d));
                if (v > Math.log10(y1) + 1e-9) {
                    break;
                }
                int y = ax.py(v);
                g.setColor(m == 1 ? new Color(0xd0d0d0) : new Color(0xf0f0f0));
                g.drawLine(LEFT, y, W - RIGHT, y);
                if (m == 1) {
                    g.setColor(Color.DARK_GRAY);
                    String label = decade(d);
                    g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 5);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        String xl = "N (elements of input and index)";
        g.drawString(xl, LEFT + (W - LEFT - RIGHT - fm.stringWidth(xl)) / 2, H - 25);
        Graphics2D gr = (Graphics2D) g.create();
        gr.rotate(-Math.PI / 2);
        String yl = "time per element (ns), per call / N";
        gr.drawString(yl, -(TOP + (H - TOP - BOTTOM + fm.stringWidth(yl)) / 2), 22);
        gr.dispose();
        g.setFont(font.deriveFont(Font.BOLD, 15f));
        g.drawString("djl-gather scaling on CPU: 1-D float32, N random int64 positions", LEFT,
                TOP - 20);
        g.setFont(font);

        int legend = 0;
        for (int i = 0; i < ops.length; i++) {
            TreeMap<Long, Double> series = report.scaling(ops[i]);
            if (series.size() < 2) {
                continue;
            }
            g.setColor(COLORS[i]);
            double[] fit = Report.floorAndSlope(series);
            // the model, dashed
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {6, 5}, 0));
            int px = -1;
            int py = -1;
            for (double lx = x0; lx <= x1 + 1e-9; lx += 0.125) {
                double n = Math.pow(2, lx);
                double y = Math.log10((fit[0] + fit[1] * n) / n);
                if (y < Math.log10(y0) || y > Math.log10(y1)) {
                    px = -1;
                    continue;
                }
                int cx = ax.px(lx);
                int cy = ax.py(y);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                }
                px = cx;
                py = cy;
            }
            // the knee
            double knee = log2(fit[2]);
            if (knee >= x0 && knee <= x1) {
                int kx = ax.px(knee);
                g.drawLine(kx, TOP, kx, H - BOTTOM);
                String label = ops[i] + " knee ≈ 2^" + Report.f1(knee);
                g.drawString(label, kx + 4, H - BOTTOM - 8 - 16 * i);
            }
            // the measurements
            g.setStroke(new BasicStroke(2.2f));
            px = -1;
            for (Map.Entry<Long, Double> e : series.entrySet()) {
                int cx = ax.px(log2(e.getKey()));
                int cy = ax.py(Math.log10(e.getValue() / e.getKey()));
                g.fillOval(cx - 4, cy - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                }
                px = cx;
                py = cy;
            }
            // legend
            int ly = TOP + 22 + 20 * legend++;
            g.drawLine(W - RIGHT - 440, ly - 5, W - RIGHT - 410, ly - 5);
            g.setColor(Color.BLACK);
            g.drawString(ops[i] + ": measured; dashed: " + Report.f1(fit[0] / 1e3)
                    + " µs + " + Report.f2(fit[1]) + " ns × N", W - RIGHT - 402, ly);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    private static String decade(int d) {
        double v = Math.pow(10, d);
        return v >= 1 ? Report.f0(v) : String.valueOf(v);
    }

    /** Maps log2(N) and log10(ns per element) to pixels. */
    private static final class Axes {
        final double x0;
        final double x1;
        final double y0;
        final double y1;

        Axes(double x0, double x1, double y0, double y1) {
            this.x0 = x0;
            this.x1 = x1;
            this.y0 = y0;
            this.y1 = y1;
        }

        int px(double lx) {
            return (int) Math.round(LEFT + (lx - x0) / (x1 - x0) * (W - LEFT - RIGHT));
        }

        int py(double ly) {
            return (int) Math.round(H - BOTTOM - (ly - y0) / (y1 - y0) * (H - TOP - BOTTOM));
        }
    }
}
