package dev.diffulab.core.cdcd;

import dev.diffulab.core.config.CdcdConfig.WarpFit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * CDCD's time warping (Dieleman et al. 2022, section 4): the model's cross-entropy as a function
 * of log σ is fitted by a monotone curve F, and training noise levels are drawn as σ = F⁻¹(u) for
 * uniform u, so training spends its steps where the entropy changes. The fit is either the paper's
 * piecewise-linear one (points binned in log σ, made monotone by isotonic regression) or the seed
 * reproduction's Cauchy-like CDF {@code h·(atan((log σ − μ)/s)/π + ½) + c}. Before the first fit
 * σ is log-uniform on [σ_min, σ_max].
 */
public final class TimeWarp implements dev.diffulab.core.checkpoint.ModelExtras {
  /** Bins of the piecewise fit and knots of the inverse table. */
  static final int BINS = 32;

  private final double logMin;
  private final double logMax;
  private final WarpFit kind;
  private final int window;
  private final Deque<double[]> points = new ArrayDeque<>();
  /** The fitted curve at {@link #BINS}+1 equally spaced log σ knots, or null before a fit. */
  private double[] curve;
  private double[] cauchy;

  /** A fresh, unfitted warp over a config's σ range, with its fit and window. */
  public static TimeWarp of(dev.diffulab.core.config.CdcdConfig c) {
    return new TimeWarp(c.sigmaMin(), c.sigmaMax(), c.warpFit(), c.warpWindow(),
        c.warpUniform());
  }

  /** A warp without a log-uniform floor: training draws follow the fitted curve alone. */
  public TimeWarp(double sigmaMin, double sigmaMax, WarpFit kind, int window) {
    this(sigmaMin, sigmaMax, kind, window, 0.0);
  }

  /**
   * @param uniform the share of training draws that are log-uniform instead of warped (0–1): the
   *     training density is {@code (1 − uniform)·warped + uniform·log-uniform}
   */
  public TimeWarp(double sigmaMin, double sigmaMax, WarpFit kind, int window, double uniform) {
    this.logMin = Math.log(sigmaMin);
    this.logMax = Math.log(sigmaMax);
    this.kind = kind;
    this.window = window;
    this.uniform = Math.clamp(uniform, 0.0, 1.0);
  }

  private final double uniform;

  /** Adds one training example's (σ, cross-entropy); the oldest point leaves a full window. */
  public void add(double sigma, double crossEntropy) {
    points.addLast(new double[]{Math.log(sigma), crossEntropy});
    while (points.size() > window) {
      points.removeFirst();
    }
  }

  public int size() {
    return points.size();
  }

  /** The window's points as (ln σ, cross-entropy) pairs, oldest first: a checkpoint keeps them. */
  public double[][] points() {
    return points.stream().map(double[]::clone).toArray(double[][]::new);
  }

  /** Puts back a window saved from {@link #points()}, so a resumed run refits the same curve. */
  public void restorePoints(double[][] saved) {
    points.clear();
    for (double[] p : saved) {
      if (p.length != 2) {
        throw new IllegalArgumentException("a time-warp point is (ln σ, cross-entropy)");
      }
      points.addLast(p.clone());
    }
    while (points.size() > window) {
      points.removeFirst();
    }
  }

  public boolean fitted() {
    return curve != null;
  }

  /** Refits F on the current window; needs points in at least a few bins. */
  public void fit() {
    if (points.size() < 2 * BINS) {
      return;
    }
    double[] xs = new double[points.size()];
    double[] ys = new double[points.size()];
    int k = 0;
    for (double[] p : points) {
      xs[k] = p[0];
      ys[k++] = p[1];
    }
    double[] fitted = kind == WarpFit.PIECEWISE ? piecewise(xs, ys) : cauchyCurve(xs, ys);
    if (fitted != null) {
      curve = fitted;
    }
  }

  /**
   * What to say when the held-out cross-entropy at σ is far above what training itself measured
   * there (the fitted curve): more than 0.1 nats and more than three times as much. Either the
   * model over-fits its training stories, or the noise levels do not reach all documents alike —
   * the first CDCD demo runs measured 0.007 nats in training and 0.26 held out, because low σ
   * only ever went to the shortest story of a batch. Null when the two agree, or before a fit.
   */
  public static String heldOutGap(double sigma, double fitted, double heldOut) {
    if (!Double.isFinite(fitted) || !Double.isFinite(heldOut)
        || heldOut - fitted <= 0.1 || heldOut <= 3 * fitted) {
      return null;
    }
    return String.format(java.util.Locale.ROOT,
        "held-out cross-entropy at σ = %.3g is %.3f nats, training measures %.3f there: the model"
            + " over-fits its training stories, or the noise levels do not reach every document"
            + " alike",
        sigma, heldOut, fitted);
  }

  /** The fitted cross-entropy at σ (NaN before a fit). */
  public double at(double sigma) {
    if (curve == null) {
      return Double.NaN;
    }
    double x = Math.clamp(Math.log(sigma), logMin, logMax);
    double t = (x - logMin) / (logMax - logMin) * BINS;
    int i = Math.min(BINS - 1, (int) t);
    return curve[i] + (curve[i + 1] - curve[i]) * (t - i);
  }

  /** σ = F⁻¹(u) for u in [0, 1]: the normalised fitted curve inverted; log-uniform before a fit. */
  public double sigma(double u) {
    u = Math.clamp(u, 0.0, 1.0);
    // the ends are the ends, even where the fitted curve is flat
    if (u <= 0) {
      return Math.exp(logMin);
    }
    if (u >= 1) {
      return Math.exp(logMax);
    }
    if (curve == null || curve[BINS] - curve[0] < 1e-6) {
      return Math.exp(logMin + u * (logMax - logMin));
    }
    double target = curve[0] + u * (curve[BINS] - curve[0]);
    for (int i = 0; i < BINS; i++) {
      if (curve[i + 1] >= target) {
        double span = curve[i + 1] - curve[i];
        double t = span <= 1e-12 ? 0.5 : (target - curve[i]) / span;
        return Math.exp(logMin + (i + t) / BINS * (logMax - logMin));
      }
    }
    return Math.exp(logMax);
  }

  /**
   * Stratified training draws: one u in each of n equal slices of [0, 1], mapped through the
   * inverse of G = (1 − uniform)·F̂ + uniform·x̂ (F̂ the fitted curve and x̂ log σ, both scaled to
   * [0, 1]) — the warped density with a log-uniform floor under it. Without a floor, a curve that
   * an early fit found flat over a stretch of σ would send no training there, and the stretch would
   * stay flat: the floor keeps every noise level learning.
   *
   * <p>The draws come in random order. In slice order the first document of every batch would
   * get the lowest σ — and batches list their documents shortest first, so the model would see
   * low noise only on short stories and high noise only on long ones (which is what the first
   * CDCD demo runs did: cross-entropy 0.007 at σ_min in training, 0.26 on whole stories).
   */
  public double[] sigmas(int n, java.util.Random r) {
    double[] s = dev.diffulab.core.Stratified.draws(n, r);
    for (int i = 0; i < n; i++) {
      s[i] = trainingSigma(s[i]);
    }
    return s;
  }

  /** σ = G⁻¹(u), the training draw of {@link #sigmas}. */
  public double trainingSigma(double u) {
    if (uniform <= 0 || curve == null || curve[BINS] - curve[0] < 1e-6) {
      return sigma(u);
    }
    u = Math.clamp(u, 0.0, 1.0);
    double range = curve[BINS] - curve[0];
    double previous = 0;
    for (int i = 0; i < BINS; i++) {
      double next = (1 - uniform) * (curve[i + 1] - curve[0]) / range
          + uniform * (i + 1.0) / BINS;
      if (next >= u || i == BINS - 1) {
        double t = next - previous <= 1e-12 ? 0.5 : (u - previous) / (next - previous);
        return Math.exp(logMin + (i + Math.clamp(t, 0.0, 1.0)) / BINS * (logMax - logMin));
      }
      previous = next;
    }
    return Math.exp(logMax);
  }

  /** The sampling grid σ_i = F⁻¹(linspace(1, 0, n)) from σ_max down to σ_min. */
  public double[] grid(int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = sigma(1.0 - (double) i / Math.max(1, n - 1));
    }
    return g;
  }

  /** The fitted curve as (σ, cross-entropy) knots for the chart; empty before a fit. */
  public double[][] knots() {
    if (curve == null) {
      return new double[0][];
    }
    double[][] out = new double[BINS + 1][];
    for (int i = 0; i <= BINS; i++) {
      out[i] = new double[]{Math.exp(logMin + (double) i / BINS * (logMax - logMin)), curve[i]};
    }
    return out;
  }

  /** Puts back a curve saved from {@link #knots()} (a checkpoint's fitted warp). */
  public void restore(double[][] knots) {
    if (knots.length != BINS + 1) {
      throw new IllegalArgumentException("a time warp has " + (BINS + 1) + " knots, got "
          + knots.length);
    }
    double[] c = new double[BINS + 1];
    for (int i = 0; i <= BINS; i++) {
      c[i] = knots[i][1];
    }
    curve = c;
  }

  /** The Cauchy fit's parameters (h, μ, s, c), or null. */
  public double[] cauchyParameters() {
    return cauchy == null ? null : cauchy.clone();
  }

  /** Bin means, made non-decreasing by pool-adjacent-violators, interpolated onto the knots. */
  private double[] piecewise(double[] xs, double[] ys) {
    double[] sum = new double[BINS];
    double[] n = new double[BINS];
    for (int i = 0; i < xs.length; i++) {
      int b = Math.clamp((int) ((xs[i] - logMin) / (logMax - logMin) * BINS), 0, BINS - 1);
      sum[b] += ys[i];
      n[b]++;
    }
    double[] mean = Isotonic.fit(sum, n);
    if (mean == null) {
      return null;
    }
    // bin centres → knots at the bin edges (end knots extend the first and last bins flat)
    double[] knots = new double[BINS + 1];
    knots[0] = mean[0];
    knots[BINS] = mean[BINS - 1];
    for (int i = 1; i < BINS; i++) {
      knots[i] = 0.5 * (mean[i - 1] + mean[i]);
    }
    return knots;
  }

  /**
   * Least squares for h·(atan((x − μ)/s)/π + ½) + c: for each (μ, s) on a grid the best h and c
   * are linear, so they are solved exactly; h is kept non-negative so the curve rises.
   */
  private double[] cauchyCurve(double[] xs, double[] ys) {
    double best = Double.POSITIVE_INFINITY;
    double[] params = null;
    for (int mi = 0; mi <= 40; mi++) {
      double mu = logMin + (logMax - logMin) * mi / 40.0;
      for (int si = 0; si <= 30; si++) {
        double s = 0.05 * Math.pow(1.2, si);
        double sg = 0;
        double sgg = 0;
        double sy = 0;
        double sgy = 0;
        for (int i = 0; i < xs.length; i++) {
          double g = Math.atan((xs[i] - mu) / s) / Math.PI + 0.5;
          sg += g;
          sgg += g * g;
          sy += ys[i];
          sgy += g * ys[i];
        }
        double n = xs.length;
        double det = n * sgg - sg * sg;
        if (Math.abs(det) < 1e-12) {
          continue;
        }
        double h = Math.max(0, (n * sgy - sg * sy) / det);
        double c = (sy - h * sg) / n;
        double err = 0;
        for (int i = 0; i < xs.length; i++) {
          double r = h * (Math.atan((xs[i] - mu) / s) / Math.PI + 0.5) + c - ys[i];
          err += r * r;
        }
        if (err < best) {
          best = err;
          params = new double[]{h, mu, s, c};
        }
      }
    }
    if (params == null) {
      return null;
    }
    cauchy = params;
    double[] knots = new double[BINS + 1];
    for (int i = 0; i <= BINS; i++) {
      double x = logMin + (double) i / BINS * (logMax - logMin);
      knots[i] = params[0] * (Math.atan((x - params[1]) / params[2]) / Math.PI + 0.5) + params[3];
    }
    return knots;
  }
}
