package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.chart.Decimator;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Long lines thinned for drawing keep their look: extremes, ends and order. */
class DecimatorTest {
  @Test
  void aMillionPointsBecomeFourPerPixelColumnKeepingEverySpikeAndBothEnds() {
    int n = 1_000_000;
    double[] x = new double[n];
    double[] y = new double[n];
    Random r = new Random(1);
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      y[i] = 3 + Math.exp(-i / 2e5) + 0.1 * r.nextGaussian();
    }
    y[123_457] = 40; // a loss spike
    y[654_321] = -5;
    Decimator.Points p = Decimator.minMax(x, y, n, 1, n, 1000);
    assertTrue(p.size() <= 4 * 1001, "at most four points a column: " + p.size());
    assertTrue(p.size() > 3000);
    assertEquals(40, Arrays.stream(p.y()).max().orElseThrow());
    assertEquals(-5, Arrays.stream(p.y()).min().orElseThrow());
    assertEquals(1, p.x()[0]);
    assertEquals(n, p.x()[p.size() - 1]);
    for (int i = 1; i < p.size(); i++) {
      assertTrue(p.x()[i] > p.x()[i - 1], "x stays in order");
    }
  }

  @Test
  void aZoomedRangeKeepsItsOwnDetailAndOneNeighbourEachSide() {
    double[] x = new double[10_000];
    double[] y = new double[10_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
      y[i] = i % 2;
    }
    Decimator.Points p = Decimator.minMax(x, y, x.length, 100, 199, 400);
    assertEquals(99, p.x()[0], "the point just left of the range");
    assertEquals(200, p.x()[p.size() - 1], "the point just right of it");
    assertEquals(102, p.size(), "fewer points than columns: every point kept");
    Decimator.Points half = Decimator.minMax(x, y, 5_000, 0, 9_999, 400);
    assertEquals(4_999, half.x()[half.size() - 1], "only the first n points count");
  }
}
