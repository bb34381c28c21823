package dev.diffulab.core.gaussian;

/**
 * The terms of DDPM's variational bound on −log p(x₀) (Ho et al. 2020, eq. 5), in nats for one
 * picture of D pixels on [−1, 1] quantised to 256 levels: the prior term L_T = KL(q(x_T | x₀) ‖
 * N(0, I)); each middle term L_{t−1} = KL(q(x_{t−1} | x_t, x₀) ‖ p(x_{t−1} | x_t)), two Gaussians
 * of the posterior's variance β̃_t whose means are the true posterior mean and the one the
 * model's x̂₀ gives; and the decoder L₀ = −log p(x₀ | x₁), a Gaussian of variance β₁ around x̂₀
 * integrated over each pixel's bin of width 2/255 (the outer bins reach to ±∞).
 */
public final class VariationalBound {
  /** Half a quantisation bin on [−1, 1]. */
  private static final double HALF_BIN = 1.0 / 255;

  private VariationalBound() {
  }

  /** L_T: KL(N(√ᾱ_T x₀, (1 − ᾱ_T) I) ‖ N(0, I)). */
  public static double prior(float[] x0, NoiseSchedule s) {
    double ab = s.alphaBar(s.steps());
    double v = 1 - ab;
    double kl = 0;
    for (float x : x0) {
      kl += 0.5 * (v + ab * x * x - 1 - Math.log(v));
    }
    return kl;
  }

  /**
   * L_{t−1} for t ≥ 2: the squared distance of the posterior means built from x₀ and from the
   * model's {@code x0hat}, over twice β̃_t.
   */
  public static double step(float[] x0, float[] x0hat, int t, NoiseSchedule s) {
    if (t < 2) {
      throw new IllegalArgumentException("the middle terms have t ≥ 2, not " + t);
    }
    double c0 = s.posteriorMeanWeights(t)[0]; // the x_t parts of both means cancel
    double var = s.posteriorVariance(t);
    double sum = 0;
    for (int d = 0; d < x0.length; d++) {
      double diff = c0 * (x0[d] - x0hat[d]);
      sum += diff * diff;
    }
    return sum / (2 * var);
  }

  /** L₀: −log of the discretised Gaussian N(mean, β₁) at each pixel of x₀. */
  public static double decoder(float[] x0, float[] mean, NoiseSchedule s) {
    double sigma = Math.sqrt(s.beta(1));
    double nll = 0;
    for (int d = 0; d < x0.length; d++) {
      double lo = x0[d] <= -1 + 1e-6
          ? Double.NEGATIVE_INFINITY
          : (x0[d] - HALF_BIN - mean[d])
              / sigma;
      double hi = x0[d] >= 1 - 1e-6
          ? Double.POSITIVE_INFINITY
          : (x0[d] + HALF_BIN - mean[d])
              / sigma;
      nll -= Math.log(Math.max(1e-12, normalCdf(hi) - normalCdf(lo)));
    }
    return nll;
  }

  /** Nats of a picture of {@code dims} pixels as bits per pixel. */
  public static double bitsPerDim(double nats, int dims) {
    return nats / (dims * Math.log(2));
  }

  /** Φ(z), accurate to about 1e-7 (Abramowitz &amp; Stegun 7.1.26 on erfc). */
  static double normalCdf(double z) {
    if (z == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (z == Double.POSITIVE_INFINITY) {
      return 1;
    }
    double x = Math.abs(z) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
        + t * 1.061405429)))) * Math.exp(-x * x);
    return z >= 0 ? 1 - erfc / 2 : erfc / 2;
  }
}
