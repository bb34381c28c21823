package dev.diffulab.ui.chart;

import dev.diffulab.core.metrics.Frontier;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The quality–diversity plot of a sampler sweep: every setting a labelled point, the Pareto
 * front joined by a line. Drawn the same for the window and for {@code evaluate --sweep}'s PNG.
 */
public final class FrontierChart {
  private FrontierChart() {
  }

  /** The chart; {@code quality} and {@code diversity} name the axes. */
  public static JFreeChart build(List<Frontier.Point> points, String title, String quality,
      String diversity) {
    XYSeries all = new XYSeries("setting", false);
    XYSeries front = new XYSeries("Pareto front", false);
    points.forEach(p -> all.add(p.diversity(), p.quality()));
    points.stream().filter(Frontier.Point::onFront)
        .sorted(Comparator.comparingDouble(Frontier.Point::diversity))
        .forEach(p -> front.add(p.diversity(), p.quality()));
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(all);
    data.addSeries(front);
    NumberAxis x = new NumberAxis(diversity);
    NumberAxis y = new NumberAxis(quality);
    x.setAutoRangeIncludesZero(false);
    y.setAutoRangeIncludesZero(false);
    // room for the labels of the points at the right and top edges
    x.setUpperMargin(0.3);
    y.setUpperMargin(0.08);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    r.setSeriesLinesVisible(0, false);
    r.setSeriesPaint(0, new Color(0x4C72B0));
    r.setSeriesLinesVisible(1, true);
    r.setSeriesShapesVisible(1, true);
    r.setSeriesPaint(1, new Color(0xC44E52));
    r.setSeriesStroke(1, new BasicStroke(2f));
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    for (Frontier.Point p : points) {
      XYTextAnnotation a = new XYTextAnnotation(p.label(), p.diversity(), p.quality());
      a.setFont(small);
      a.setTextAnchor(TextAnchor.BOTTOM_LEFT);
      a.setPaint(p.onFront() ? new Color(0x8B0000) : Color.DARK_GRAY);
      plot.addAnnotation(a);
    }
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot,
        true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** Writes the chart as a PNG of {@code width} × {@code height} pixels. */
  public static void png(JFreeChart chart, Path file, int width, int height) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
  }
}
