package io.djlgather.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A small line chart (JFreeChart, headless): one or two series against epochs, the first on the
 * left axis (its own range, from 0 or below), the second on a right axis from 0 to 1. Each axis
 * is labelled with its series' name in the series' colour; the legend sits below the plot.
 */
public final class LinePlot {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;

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
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        int last = firstX + Math.max(left.values().size() - 1, 1);
        epochs.setRange(firstX - 0.2, last + 0.2); // the end points' markers stay inside the plot
        NumberAxis leftAxis = axis(left);
        leftAxis.setAutoRangeIncludesZero(true); // the loss falls towards 0: show where 0 is
        XYPlot plot = new XYPlot(dataset(left, firstX), epochs, leftAxis, renderer(left.color()));
        if (right != null) {
            NumberAxis rightAxis = axis(right);
            rightAxis.setRange(0, 1);
            rightAxis.setTickUnit(new NumberTickUnit(0.2));
            plot.setRangeAxis(1, rightAxis);
            plot.setDataset(1, dataset(right, firstX));
            plot.mapDatasetToRangeAxis(1, 1);
            plot.setRenderer(1, renderer(right.color()));
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(225, 225, 225));
        plot.setRangeGridlinePaint(new Color(225, 225, 225));
        plot.setOutlinePaint(Color.BLACK);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static NumberAxis axis(Series s) {
        NumberAxis axis = new NumberAxis(s.name());
        axis.setLabelPaint(s.color());
        axis.setTickLabelPaint(s.color().darker());
        return axis;
    }

    private static XYSeriesCollection dataset(Series s, int firstX) {
        XYSeries series = new XYSeries(s.name(), false, true);
        for (int i = 0; i < s.values().size(); i++) {
            series.add(firstX + i, s.values().get(i));
        }
        return new XYSeriesCollection(series);
    }

    private static XYLineAndShapeRenderer renderer(Color color) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, new BasicStroke(2.5f));
        renderer.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        return renderer;
    }
}
