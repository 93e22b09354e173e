package io.djlgather.benchmarks;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws the scaling plot with JFreeChart (headless): time per element against N, both axes
 * logarithmic (N in powers of two, time in decades), one line per op, with the model
 * {@code floor / N + cost} dashed and the knee ({@code floor / cost}) marked.
 */
final class ScalingPlot {

    private static final int W = 900;
    private static final int H = 560;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728)};
    private static final String[] OPS = {"gather", "scatterAdd"};

    private ScalingPlot() {}

    static void draw(Report report, Path png) throws IOException {
        XYSeriesCollection measured = new XYSeriesCollection();
        XYSeriesCollection model = new XYSeriesCollection();
        XYLineAndShapeRenderer measuredLines = new XYLineAndShapeRenderer(true, true);
        XYLineAndShapeRenderer modelLines = new XYLineAndShapeRenderer(true, false);
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (String op : OPS) {
            for (Map.Entry<Long, Double> e : report.scaling(op).entrySet()) {
                double y = e.getValue() / e.getKey();
                minX = Math.min(minX, e.getKey());
                maxX = Math.max(maxX, e.getKey());
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        // whole powers of two on x, whole decades on y
        double x0 = Math.floor(log2(minX));
        double x1 = Math.ceil(log2(maxX));
        double y0 = Math.pow(10, Math.floor(Math.log10(minY)));
        double y1 = Math.pow(10, Math.ceil(Math.log10(maxY)));

        LogAxis xAxis = new LogAxis("N (elements of input and index)");
        xAxis.setBase(2);
        xAxis.setBaseSymbol("2"); // ticks read 2^10, 2^11, ...
        xAxis.setTickUnit(new NumberTickUnit(1));
        xAxis.setRange(Math.pow(2, x0), Math.pow(2, x1));
        LogAxis yAxis = new LogAxis("time per element (ns), per call / N");
        yAxis.setBase(10);
        yAxis.setTickUnit(new NumberTickUnit(1));
        yAxis.setNumberFormatOverride(new DecimalFormat("0.###"));
        yAxis.setRange(y0, y1);

        XYPlot plot = new XYPlot(measured, xAxis, yAxis, measuredLines);
        plot.setDataset(1, model);
        plot.setRenderer(1, modelLines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xd8d8d8));
        plot.setRangeGridlinePaint(new Color(0xd8d8d8));
        plot.setRangeMinorGridlinesVisible(true);
        plot.setRangeMinorGridlinePaint(new Color(0xf0f0f0));
        plot.setOutlinePaint(Color.BLACK);

        BasicStroke dashed = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10, new float[] {6, 5}, 0);
        for (int i = 0; i < OPS.length; i++) {
            TreeMap<Long, Double> series = report.scaling(OPS[i]);
            if (series.size() < 2) {
                continue;
            }
            double[] fit = Report.floorAndSlope(series);
            XYSeries points = new XYSeries(OPS[i] + ": measured");
            for (Map.Entry<Long, Double> e : series.entrySet()) {
                points.add((double) e.getKey(), e.getValue() / e.getKey());
            }
            int m = measured.getSeriesCount();
            measured.addSeries(points);
            measuredLines.setSeriesPaint(m, COLORS[i]);
            measuredLines.setSeriesStroke(m, new BasicStroke(2.2f));
            measuredLines.setSeriesShape(m, new Ellipse2D.Double(-4, -4, 8, 8));

            XYSeries curve = new XYSeries(OPS[i] + ": model " + Report.f1(fit[0] / 1e3)
                    + " µs + " + Report.f2(fit[1]) + " ns × N (dashed)");
            for (double lx = x0; lx <= x1 + 1e-9; lx += 0.125) {
                double n = Math.pow(2, lx);
                curve.add(n, (fit[0] + fit[1] * n) / n);
            }
            int k = model.getSeriesCount();
            model.addSeries(curve);
            modelLines.setSeriesPaint(k, COLORS[i]);
            modelLines.setSeriesStroke(k, dashed);

            double knee = fit[2];
            if (log2(knee) >= x0 && log2(knee) <= x1) {
                ValueMarker marker = new ValueMarker(knee, COLORS[i], dashed);
                marker.setLabel(OPS[i] + " knee ≈ 2^" + Report.f1(log2(knee)));
                marker.setLabelPaint(COLORS[i]);
                marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
                marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                marker.setLabelAnchor(i == 0 ? RectangleAnchor.BOTTOM_RIGHT : RectangleAnchor.TOP_RIGHT);
                marker.setLabelTextAnchor(i == 0 ? TextAnchor.BOTTOM_LEFT : TextAnchor.TOP_LEFT);
                plot.addDomainMarker(marker);
            }
        }

        JFreeChart chart = new JFreeChart(
                "djl-gather scaling on CPU: 1-D float32, N random int64 positions",
                new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(BlockBorder.NONE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, W, H);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
