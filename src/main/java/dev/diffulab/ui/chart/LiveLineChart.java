package dev.diffulab.ui.chart;

import dev.diffulab.ui.theme.Appearance;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javafx.application.Platform;
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
 * or pans ({@link FollowState}); {@link #fit()} resumes following. A line of more than
 * {@value #DECIMATE_ABOVE} points is drawn thinned to the first, lowest, highest and last point of
 * each pixel column in view ({@link Decimator}), re-thinned as the view zooms; {@link #series()} keeps every
 * point for export.
 */
public class LiveLineChart extends StackPane {
  /** Lines longer than this are drawn decimated. */
  public static final int DECIMATE_ABOVE = 4000;

  private final JFreeChart chart;
  private final XYSeriesCollection data = new XYSeriesCollection();
  private final List<XYSeries> series = new ArrayList<>();
  private final List<Line> lines = new ArrayList<>();
  private final Map<XYSeries, Line> byHandle = new IdentityHashMap<>();
  private final FollowState follow = new FollowState();
  private final ChartViewer viewer;
  private boolean dirty;
  private boolean rethinPending;

  /** One line: every point (the handle and primitive copies) and what the chart draws. */
  private static final class Line {
    final XYSeries all;
    final XYSeries shown;
    double[] x = new double[256];
    double[] y = new double[256];
    int count;
    int copied;
    boolean thinned;
    double thinnedLo = Double.NaN;
    double thinnedHi = Double.NaN;

    Line(XYSeries all, XYSeries shown) {
      this.all = all;
      this.shown = shown;
    }

    void append(double px, double py) {
      if (count == x.length) {
        x = Arrays.copyOf(x, count * 2);
        y = Arrays.copyOf(y, count * 2);
      }
      x[count] = px;
      y[count++] = py;
    }

    void reset() {
      count = 0;
      copied = 0;
      thinned = false;
      shown.clear();
    }
  }

  /** Held here: the appearance listens weakly. */
  private final javafx.beans.InvalidationListener look;

  public LiveLineChart(String id, String title, String xLabel, String yLabel) {
    setId(id);
    chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
        true, true, false);
    XYPlot plot = chart.getXYPlot();
    ChartLook.apply(chart);
    look = Appearance.follow(() -> ChartLook.apply(chart)); // a theme switch re-colours it
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    // a zoom or pan re-thins long lines for the new range, once per frame
    plot.getDomainAxis().addChangeListener(e -> {
      if (!follow.following() && lines.stream().anyMatch(l -> l.thinned) && !rethinPending) {
        rethinPending = true;
        Platform.runLater(() -> {
          rethinPending = false;
          dirty = true;
          flush();
        });
      }
    });
    viewer = new ChartViewer(chart);
    viewer.setOnScroll(e -> follow.userMovedView());
    viewer.setOnMouseDragged(e -> follow.userMovedView());
    getChildren().add(viewer);
    setMinHeight(180);
  }

  /** Relabels the x axis (a view whose model changes what its level means). */
  public void setXLabel(String label) {
    var axis = chart.getXYPlot().getDomainAxis();
    if (!label.equals(axis.getLabel())) {
      axis.setLabel(label);
    }
  }

  /** Relabels the y axis (a view whose model changes what its values are). */
  public void setYLabel(String label) {
    var axis = chart.getXYPlot().getRangeAxis();
    if (!label.equals(axis.getLabel())) {
      axis.setLabel(label);
    }
  }

  /** Retitles the chart (a view whose run changes what it plots). */
  public void setTitle(String title) {
    if (chart.getTitle() != null && !title.equals(chart.getTitle().getText())) {
      chart.getTitle().setText(title); // keeps the theme's font and colour
    }
  }

  public XYSeries addSeries(String name, Color color, boolean faint, boolean shapes) {
    XYSeries all = new XYSeries(name, false, true);
    all.setNotify(false);
    XYSeries shown = new XYSeries(name, false, true);
    shown.setNotify(false);
    Line line = new Line(all, shown);
    lines.add(line);
    byHandle.put(all, line);
    series.add(all);
    data.addSeries(shown);
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    int i = series.size() - 1;
    r.setSeriesPaint(i, faint
        ? new Color(color.getRed(), color.getGreen(), color.getBlue(), 90)
        : color);
    r.setSeriesStroke(i, new BasicStroke(faint ? 1f : 2f));
    r.setSeriesLinesVisible(i, !shapes);
    r.setSeriesShapesVisible(i, shapes);
    // hover tooltips for marked points only: a line's thousands of points would each format
    // a tooltip string on every redraw, a fifth of the UI thread's time while training
    r.setSeriesCreateEntities(i, shapes);
    return all;
  }

  /** Adds a point without redrawing; call {@link #flush()} once per frame. */
  public void add(XYSeries s, double x, double y) {
    s.add(x, y, false);
    byHandle.get(s).append(x, y);
    dirty = true;
  }

  public void replace(XYSeries s, double[] x, double[] y) {
    Line line = byHandle.get(s);
    s.clear();
    line.reset();
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(y[i])) {
        s.add(x[i], y[i], false);
        line.append(x[i], y[i]);
      }
    }
    dirty = true;
  }

  public void clear() {
    for (Line l : lines) {
      l.all.clear();
      l.reset();
    }
    dirty = true;
    flush();
  }

  /**
   * Live streams redraw at most this often: a software-rendered JFreeChart redraw costs
   * milliseconds of the CPU that trains, and a few a second already reads as continuous. Shorter
   * than the dispatcher's interval for a training run's snapshots, so a chart fed by them redraws
   * in the frame that delivers its points rather than in a frame of its own.
   */
  public static final long STREAM_INTERVAL_NANOS = 200_000_000L;
  private int redraws;
  private final StreamRedraw streamRedraw = new StreamRedraw(this, () -> dirty,
      this::flush);

  /**
   * A redraw for a live stream (points arriving every frame): at most one every
   * {@link #STREAM_INTERVAL_NANOS}, the last one never lost, and none while the chart is not
   * showing (a hidden workspace) — it catches up when shown. Explicit changes use {@link #flush}.
   */
  public void flushStream() {
    streamRedraw.request();
  }

  /** Whether {@code node} and every parent is visible in a showing window. */
  static boolean showing(javafx.scene.Node node) {
    if (node.getScene() == null || node.getScene().getWindow() == null
        || !node.getScene().getWindow().isShowing()) {
      return false;
    }
    for (javafx.scene.Node n = node; n != null; n = n.getParent()) {
      if (!n.isVisible()) {
        return false;
      }
    }
    return true;
  }

  /** One redraw for everything added since the last flush. */
  public void flush() {
    if (!dirty) {
      return;
    }
    dirty = false;
    redraws++;
    XYPlot plot = chart.getXYPlot();
    lines.forEach(this::sync); // silent: the series do not notify until redrawOnce
    // the legend names the lines that have points: a run that fills one of two alternative
    // lines (exact answers or valid stories) shows only the one it has
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
    for (int i = 0; i < lines.size(); i++) {
      r.setSeriesVisibleInLegend(i, lines.get(i).all.getItemCount() > 0, false);
    }
    redrawOnce(chart, lines.stream().map(l -> l.shown).toList(), () -> {
      if (follow.following()) {
        plot.getDomainAxis().setAutoRange(true);
        plot.getRangeAxis().setAutoRange(true);
      }
    });
  }

  /** Brings what the chart draws of {@code line} up to its points. */
  private void sync(Line line) {
    if (!line.shown.getKey().equals(line.all.getKey())) {
      line.shown.setKey(line.all.getKey());
    }
    if (line.count <= DECIMATE_ABOVE) {
      if (line.thinned) {
        line.shown.clear();
        line.copied = 0;
        line.thinned = false;
      }
      for (int i = line.copied; i < line.count; i++) {
        line.shown.add(line.x[i], line.y[i], false);
      }
      line.copied = line.count;
      return;
    }
    double lo;
    double hi;
    if (follow.following()) {
      lo = line.x[0];
      hi = line.x[line.count - 1];
    } else {
      lo = chart.getXYPlot().getDomainAxis().getLowerBound();
      hi = chart.getXYPlot().getDomainAxis().getUpperBound();
    }
    if (line.thinned && line.copied == line.count && lo == line.thinnedLo
        && hi == line.thinnedHi) {
      return;
    }
    Decimator.Points p = Decimator.minMax(line.x, line.y, line.count, lo, hi, pixelColumns());
    line.shown.clear();
    for (int i = 0; i < p.size(); i++) {
      line.shown.add(p.x()[i], p.y()[i], false);
    }
    line.thinned = true;
    line.copied = line.count;
    line.thinnedLo = lo;
    line.thinnedHi = hi;
  }

  private int pixelColumns() {
    return Math.max(400, (int) Math.ceil(getWidth()));
  }

  /** How many times the chart has been redrawn (for tests of the redraw rate). */
  public int redraws() {
    return redraws;
  }

  /** Points the chart draws now, over all lines (at most four per pixel column a line). */
  public int drawnPoints() {
    return lines.stream().mapToInt(l -> l.shown.getItemCount()).sum();
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

  /** Shows {@code [lo, hi]} of the x-axis and stops following, as a zoom by mouse does. */
  public void showRange(double lo, double hi) {
    follow.userMovedView();
    chart.getXYPlot().getDomainAxis().setRange(lo, hi);
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
    ChartLook.apply(chart);
  }

  public JFreeChart chart() {
    return chart;
  }

  public List<XYSeries> series() {
    return series;
  }
}
