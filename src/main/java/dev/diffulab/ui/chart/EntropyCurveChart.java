package dev.diffulab.ui.chart;

import dev.diffulab.core.snapshot.EntropyCurve;
import dev.diffulab.ui.theme.Appearance;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import javafx.scene.layout.StackPane;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * CDCD's entropy-versus-time chart: cross-entropy of recent training examples against σ on a log
 * axis, shaded by recency (newer darker), the fitted monotone curve, the corpus's unigram entropy
 * as the plateau, and the sampling grid σ_i as ticks along the bottom. Redrawn once per snapshot.
 */
public final class EntropyCurveChart extends StackPane {
  private static final int AGES = 3;
  private final XYSeries[] ages = new XYSeries[AGES];
  private final XYSeries fit = new XYSeries("monotone fit", false, true);
  private final XYSeries plateau = new XYSeries("unigram entropy", false, true);
  private final XYSeries grid = new XYSeries("sampling grid", false, true);
  private final XYSeriesCollection data = new XYSeriesCollection();
  private final JFreeChart chart;
  /** Held here: the appearance listens weakly. */
  private final javafx.beans.InvalidationListener look;

  public EntropyCurveChart() {
    setId("entropyCurveChart");
    String[] names = {"older points", "recent points", "newest points"};
    int[] alpha = {40, 110, 230};
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    for (int a = 0; a < AGES; a++) {
      ages[a] = new XYSeries(names[a], false, true);
      data.addSeries(ages[a]);
      r.setSeriesLinesVisible(a, false);
      r.setSeriesShapesVisible(a, true);
      r.setSeriesShape(a, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
      r.setSeriesPaint(a, new Color(0, 114, 178, alpha[a]));
    }
    XYSeries[] lines = {fit, plateau, grid};
    Color[] colours = {new Color(0xD55E00), new Color(0x009E73), new Color(0x3A4250)};
    for (int k = 0; k < lines.length; k++) {
      data.addSeries(lines[k]);
      int i = AGES + k;
      r.setSeriesPaint(i, colours[k]);
      r.setSeriesLinesVisible(i, lines[k] != grid);
      r.setSeriesShapesVisible(i, lines[k] == grid);
      r.setSeriesShape(i, new Rectangle2D.Double(-0.5, -5, 1, 10));
      r.setSeriesStroke(i, new BasicStroke(lines[k] == plateau ? 1.5f : 2.5f,
          BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          lines[k] == plateau ? new float[]{6f, 4f} : null, 0f));
    }
    LogAxis x = new LogAxis("σ (noise level)");
    x.setBase(10);
    NumberAxis y = new NumberAxis("cross-entropy (nats)");
    XYPlot plot = new XYPlot(data, x, y, r);
    chart = new JFreeChart("Entropy versus time", new Font("SansSerif", Font.BOLD, 13), plot,
        true);
    ChartLook.apply(chart);
    look = Appearance.follow(() -> ChartLook.apply(chart)); // a theme switch re-colours it
    getChildren().add(new ChartViewer(chart));
    setMinHeight(180);
  }

  private EntropyCurve pending;
  private final StreamRedraw redraw = new StreamRedraw(this, () -> pending != null, () -> {
    EntropyCurve c = pending;
    pending = null;
    draw(c);
  });

  /**
   * Shows the newest curve: drawn at most every {@link LiveLineChart#STREAM_INTERVAL_NANOS}
   * (a run publishes one every few steps), never while hidden, and the last one always.
   */
  public void show(EntropyCurve c) {
    pending = c;
    redraw.request();
  }

  private void draw(EntropyCurve c) {
    for (XYSeries s : ages) {
      s.setNotify(false);
      s.clear();
    }
    for (XYSeries s : new XYSeries[]{fit, plateau, grid}) {
      s.setNotify(false);
      s.clear();
    }
    int oldest = Integer.MAX_VALUE;
    int newest = Integer.MIN_VALUE;
    for (int st : c.pointStep()) {
      oldest = Math.min(oldest, st);
      newest = Math.max(newest, st);
    }
    double span = Math.max(1, newest - oldest + 1);
    for (int i = 0; i < c.sigma().length; i++) {
      int age = (int) Math.min(AGES - 1, (c.pointStep()[i] - oldest) / span * AGES);
      ages[age].add(c.sigma()[i], c.crossEntropy()[i], false);
    }
    for (double[] k : c.fit()) {
      fit.add(k[0], k[1], false);
    }
    if (c.sigma().length > 0) {
      double lo = java.util.Arrays.stream(c.sigma()).min().orElse(1);
      double hi = java.util.Arrays.stream(c.sigma()).max().orElse(100);
      plateau.add(lo, c.unigramEntropy(), false);
      plateau.add(hi, c.unigramEntropy(), false);
    }
    for (double g : c.grid()) {
      grid.add(g, 0.0, false);
    }
    java.util.List<XYSeries> all = new java.util.ArrayList<>(java.util.List.of(ages));
    all.addAll(java.util.List.of(fit, plateau, grid));
    LiveLineChart.redrawOnce(chart, all, () -> {
    });
  }

  public int pointCount() {
    int n = 0;
    for (XYSeries s : ages) {
      n += s.getItemCount();
    }
    return n;
  }

  public int fitKnots() {
    return fit.getItemCount();
  }

  /** Every series, for export. */
  public java.util.List<XYSeries> series() {
    java.util.List<XYSeries> all = new java.util.ArrayList<>(java.util.List.of(ages));
    all.addAll(java.util.List.of(fit, plateau, grid));
    return all;
  }

  public JFreeChart chart() {
    return chart;
  }
}
