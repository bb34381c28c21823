package dev.diffulab.ui.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.layout.StackPane;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A JFreeChart-FX line chart fed live: points are added with notification off and the chart is
 * redrawn once per {@link #flush()} (once per frame). It follows the data until the person zooms
 * or pans ({@link FollowState}); {@link #fit()} resumes following.
 */
public class LiveLineChart extends StackPane {
  private final JFreeChart chart;
  private final XYSeriesCollection data = new XYSeriesCollection();
  private final List<XYSeries> series = new ArrayList<>();
  private final FollowState follow = new FollowState();
  private final ChartViewer viewer;
  private boolean dirty;

  public LiveLineChart(String id, String title, String xLabel, String yLabel) {
    setId(id);
    chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
        true, true, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font("SansSerif", Font.BOLD, 13));
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(new Color(0xFBFCFD));
    plot.setDomainGridlinePaint(new Color(0xDDE1E7));
    plot.setRangeGridlinePaint(new Color(0xDDE1E7));
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    viewer = new ChartViewer(chart);
    viewer.setOnScroll(e -> follow.userMovedView());
    viewer.setOnMouseDragged(e -> follow.userMovedView());
    getChildren().add(viewer);
    setMinHeight(180);
  }

  /** Adds a series drawn in {@code color}; {@code faint} draws it thin and translucent. */
  public XYSeries addSeries(String name, Color color, boolean faint, boolean shapes) {
    XYSeries s = new XYSeries(name, false, true);
    s.setNotify(false);
    series.add(s);
    data.addSeries(s);
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    int i = series.size() - 1;
    r.setSeriesPaint(i, faint
        ? new Color(color.getRed(), color.getGreen(), color.getBlue(), 90)
        : color);
    r.setSeriesStroke(i, new BasicStroke(faint ? 1f : 2f));
    r.setSeriesLinesVisible(i, !shapes);
    r.setSeriesShapesVisible(i, shapes);
    return s;
  }

  /** Adds a point without redrawing; call {@link #flush()} once per frame. */
  public void add(XYSeries s, double x, double y) {
    s.add(x, y, false);
    dirty = true;
  }

  public void replace(XYSeries s, double[] x, double[] y) {
    s.clear();
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(y[i])) {
        s.add(x[i], y[i], false);
      }
    }
    dirty = true;
  }

  public void clear() {
    series.forEach(XYSeries::clear);
    dirty = true;
    flush();
  }

  /** One redraw for everything added since the last flush. */
  public void flush() {
    if (!dirty) {
      return;
    }
    dirty = false;
    XYPlot plot = chart.getXYPlot();
    redrawOnce(chart, series, () -> {
      if (follow.following()) {
        plot.getDomainAxis().setAutoRange(true);
        plot.getRangeAxis().setAutoRange(true);
      }
    });
  }

  /**
   * Applies what was added to {@code series} (with notification off) in one chart redraw: the
   * chart stops listening, each series signals once, then the chart redraws once.
   */
  static void redrawOnce(JFreeChart chart, List<XYSeries> series, Runnable alsoChange) {
    chart.setNotify(false);
    for (XYSeries s : series) {
      s.setNotify(true); // signals the change (absorbed while the chart is not notifying)
      s.setNotify(false);
    }
    alsoChange.run();
    chart.setNotify(true); // one redraw
  }

  public void fit() {
    follow.fit();
    dirty = true;
    flush();
  }

  public void setLogY(boolean log) {
    XYPlot plot = chart.getXYPlot();
    String label = plot.getRangeAxis().getLabel();
    ValueAxis axis = log ? new LogAxis(label) : new NumberAxis(label);
    if (axis instanceof NumberAxis n) {
      n.setAutoRangeIncludesZero(false);
    }
    plot.setRangeAxis(axis);
  }

  public JFreeChart chart() {
    return chart;
  }

  public List<XYSeries> series() {
    return series;
  }
}
