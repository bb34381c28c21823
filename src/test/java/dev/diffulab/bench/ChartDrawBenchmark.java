package dev.diffulab.bench;

import dev.diffulab.ui.chart.Decimator;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What one redraw of the loss chart costs with every point drawn and with the line thinned to four
 * points a pixel column, as the Train workspace draws it. Prints a table; asserts nothing about
 * speed. Run with {@code ./mvnw -Pbench verify}.
 */
@Tag("benchmark")
class ChartDrawBenchmark {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 600;

  @Test
  void redrawCostWithAndWithoutDecimation() {
    System.out.println();
    System.out
        .println("loss chart redraw, " + WIDTH + "×" + HEIGHT + " px, mean of 5 after warm-up");
    System.out.printf("%10s %14s %14s %12s %10s%n", "points", "all drawn ms", "thinned ms",
        "thin cost ms", "speed-up");
    for (int n : new int[]{10_000, 100_000, 300_000, 1_000_000}) {
      double[] x = new double[n];
      double[] y = new double[n];
      Random r = new Random(n);
      for (int i = 0; i < n; i++) {
        x[i] = i + 1;
        y[i] = 3 + 2 * Math.exp(-i / (n / 5.0)) + 0.2 * r.nextGaussian();
      }
      double all = drawMillis(chart(x, y, n));
      long t0 = System.nanoTime();
      Decimator.Points p = null;
      for (int k = 0; k < 5; k++) {
        p = Decimator.minMax(x, y, n, 1, n, WIDTH);
      }
      double thin = (System.nanoTime() - t0) / 5e6;
      double thinned = drawMillis(chart(p.x(), p.y(), p.size()));
      System.out.printf("%,10d %14.1f %14.1f %12.2f %9.1f×%n", n, all, thinned, thin,
          all / (thinned + thin));
    }
  }

  private static JFreeChart chart(double[] x, double[] y, int n) {
    XYSeries s = new XYSeries("loss", false, true);
    for (int i = 0; i < n; i++) {
      s.add(x[i], y[i], false);
    }
    return ChartFactory.createXYLineChart("Training loss", "step", "nats",
        new XYSeriesCollection(s), PlotOrientation.VERTICAL, true, false, false);
  }

  private static double drawMillis(JFreeChart chart) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    Rectangle2D area = new Rectangle2D.Double(0, 0, WIDTH, HEIGHT);
    chart.draw(g, area);
    chart.draw(g, area);
    long t0 = System.nanoTime();
    for (int k = 0; k < 5; k++) {
      chart.draw(g, area);
    }
    g.dispose();
    return (System.nanoTime() - t0) / 5e6;
  }
}
