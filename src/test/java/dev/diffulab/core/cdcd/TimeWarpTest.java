package dev.diffulab.core.cdcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.CdcdConfig.WarpFit;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeWarpTest {
  /** The known curve: cross-entropy rising from 0.1 to 2.1 nats around log σ = 2. */
  static double truth(double logSigma) {
    return 0.1 + 2.0 / (1 + Math.exp(-(logSigma - 2.0) / 0.5));
  }

  static TimeWarp fitted(WarpFit kind) {
    TimeWarp w = new TimeWarp(1.0, 100.0, kind, 20_000);
    Random r = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      double logSigma = r.nextDouble() * Math.log(100);
      w.add(Math.exp(logSigma), truth(logSigma) + 0.15 * r.nextGaussian());
    }
    w.fit();
    return w;
  }

  @Test
  void bothFitsAreMonotoneAndRecoverTheCurve() {
    for (WarpFit kind : WarpFit.values()) {
      TimeWarp w = fitted(kind);
      double[][] knots = w.knots();
      for (int i = 1; i < knots.length; i++) {
        assertTrue(knots[i][1] >= knots[i - 1][1] - 1e-12, kind + " not monotone at " + i);
      }
      for (double sigma : new double[]{1.2, 3, 6, 7.4, 10, 20, 50, 95}) {
        assertEquals(truth(Math.log(sigma)), w.at(sigma), 0.12, kind + " at σ=" + sigma);
      }
    }
  }

  @Test
  void inverseOfUniformDrawsReproducesTheIntendedDensity() {
    for (WarpFit kind : WarpFit.values()) {
      TimeWarp w = fitted(kind);
      Random r = new Random(9);
      int n = 20_000;
      double[] logs = new double[n];
      for (int i = 0; i < n; i++) {
        logs[i] = Math.log(w.sigma(r.nextDouble()));
      }
      // 1. the mass of each log σ interval matches the true curve's rise over it
      double lo = truth(0);
      double hi = truth(Math.log(100));
      double[][] intervals = {{0, 1.5}, {1.5, 2.0}, {2.0, 2.5}, {2.5, Math.log(100)}};
      for (double[] iv : intervals) {
        long inside = Arrays.stream(logs).filter(x -> x >= iv[0] && x < iv[1]).count();
        double expected = (truth(iv[1]) - truth(iv[0])) / (hi - lo);
        assertEquals(expected, (double) inside / n, 0.04, kind + " mass of " + Arrays.toString(iv));
      }
      // 2. Kolmogorov–Smirnov: F(σ) of the draws is uniform under the fitted curve
      double[] u = Arrays.stream(logs).map(x -> (w.at(Math.exp(x)) - w.at(1.0))
          / (w.at(100.0) - w.at(1.0))).sorted().toArray();
      double ks = 0;
      for (int i = 0; i < n; i++) {
        ks = Math.max(ks, Math.max(Math.abs(u[i] - (double) i / n),
            Math.abs(u[i] - (double) (i + 1) / n)));
      }
      assertTrue(ks < 0.02, kind + " KS statistic " + ks);
    }
  }

  @Test
  void beforeAFitSigmaIsLogUniformAndTheGridRunsFromMaxToMin() {
    TimeWarp w = new TimeWarp(1.0, 100.0, WarpFit.PIECEWISE, 100);
    assertEquals(10.0, w.sigma(0.5), 1e-9);
    double[] g = fitted(WarpFit.PIECEWISE).grid(10);
    assertEquals(100.0, g[0], 1e-6);
    assertEquals(1.0, g[9], 1e-6);
    for (int i = 1; i < g.length; i++) {
      assertTrue(g[i] < g[i - 1]);
    }
  }

  @Test
  void aCurveThatIsFlatAtBothEndsStillGivesAGridFromSigmaMaxToSigmaMin() {
    TimeWarp w = new TimeWarp(1.0, 100.0, WarpFit.PIECEWISE, 10_000);
    Random r = new Random(4);
    for (int i = 0; i < 10_000; i++) {
      double logSigma = r.nextDouble() * Math.log(100);
      // saturated: flat below log σ = 1.5 and above 3.0
      w.add(Math.exp(logSigma), Math.clamp(logSigma - 1.5, 0.0, 1.5));
    }
    w.fit();
    double[] g = w.grid(8);
    assertEquals(100.0, g[0], 1e-9);
    assertEquals(1.0, g[7], 1e-9);
  }

  /**
   * One σ per document, stratified over the batch — and in random order: in slice order the
   * first documents of every batch would always get the lowest noise.
   */
  @Test
  void stratifiedDrawsComeInRandomOrder() {
    TimeWarp w = new TimeWarp(1.0, 100.0, WarpFit.PIECEWISE, 1000, 0.2);
    Random r = new Random(3);
    int n = 16;
    double[] meanLog = new double[n];
    int batches = 2000;
    for (int b = 0; b < batches; b++) {
      double[] s = w.sigmas(n, r);
      double[] sorted = s.clone();
      java.util.Arrays.sort(sorted);
      for (int i = 0; i < n; i++) {
        // still one draw in each of the n slices of the log range
        double lo = Math.exp(i * Math.log(100) / n);
        double hi = Math.exp((i + 1) * Math.log(100) / n);
        assertTrue(sorted[i] >= lo - 1e-9 && sorted[i] <= hi + 1e-9,
            sorted[i] + " not in slice " + i);
        meanLog[i] += Math.log(s[i]) / batches;
      }
    }
    // every slot sees the whole range alike: its mean log σ is the middle, ln 10
    for (int i = 0; i < n; i++) {
      assertEquals(Math.log(10), meanLog[i], 0.15, "slot " + i);
    }
  }

  @Test
  void theWindowKeepsOnlyRecentPoints() {
    TimeWarp w = new TimeWarp(1.0, 100.0, WarpFit.PIECEWISE, 500);
    for (int i = 0; i < 2000; i++) {
      w.add(10, 1);
    }
    assertEquals(500, w.size());
  }

  @Test
  void aLogUniformFloorKeepsTrainingWhereAnEarlyFitWasFlat() {
    // an early fit: flat over log σ < 1.5 and > 3.0 (nothing learned there yet)
    TimeWarp bare = new TimeWarp(1.0, 100.0, WarpFit.PIECEWISE, 10_000, 0.0);
    TimeWarp floored = new TimeWarp(1.0, 100.0, WarpFit.PIECEWISE, 10_000, 0.2);
    Random r = new Random(5);
    for (int i = 0; i < 10_000; i++) {
      double logSigma = r.nextDouble() * Math.log(100);
      double ce = Math.clamp(logSigma - 1.5, 0.0, 1.5);
      bare.add(Math.exp(logSigma), ce);
      floored.add(Math.exp(logSigma), ce);
    }
    bare.fit();
    floored.fit();
    double low = Math.exp(1.4); // below the rise, where the fit is flat
    int n = 10_000;
    double[] a = bare.sigmas(n, new Random(6));
    double[] b = floored.sigmas(n, new Random(6));
    long bareLow = java.util.Arrays.stream(a).filter(x -> x < low).count();
    long flooredLow = java.util.Arrays.stream(b).filter(x -> x < low).count();
    double share = 1.4 / Math.log(100); // of the log range lies below `low`
    assertTrue(bareLow < 0.03 * n, "without a floor almost nothing goes low: " + bareLow);
    assertEquals(0.2 * share, (double) flooredLow / n, 0.02,
        "with a floor of 0.2 the flat stretch gets its log-uniform share");
    for (double x : b) {
      assertTrue(x >= 1.0 - 1e-9 && x <= 100.0 + 1e-9);
    }
    // the sampling grid is the fitted warp's own, floor or not
    assertArrayEquals(bare.grid(16), floored.grid(16), 1e-12);
  }

  @Test
  void aHeldOutCrossEntropyFarAboveTheFitIsNamed() {
    // the first CDCD demo run: 0.007 in training, 0.26 held out
    String said = TimeWarp.heldOutGap(1.0, 0.007, 0.26);
    assertTrue(said != null && said.contains("0.260") && said.contains("0.007"), said);
    // agreeing measurements, a small absolute gap, a gap under 3×, no fit yet: nothing to say
    assertEquals(null, TimeWarp.heldOutGap(1.0, 0.0048, 0.0055));
    assertEquals(null, TimeWarp.heldOutGap(1.0, 0.01, 0.09));
    assertEquals(null, TimeWarp.heldOutGap(1.0, 0.5, 1.2));
    assertEquals(null, TimeWarp.heldOutGap(1.0, Double.NaN, 0.26));
  }
}
