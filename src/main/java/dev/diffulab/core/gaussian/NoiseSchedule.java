package dev.diffulab.core.gaussian;

/**
 * The forward process of Gaussian diffusion (Ho et al. 2020, DDPM): {@code T} steps of noise
 * {@code q(x_t | x_{t−1}) = N(√(1−β_t) x_{t−1}, β_t I)}, so that {@code x_t = √ᾱ_t x₀ + √(1−ᾱ_t) ε}
 * with {@code ᾱ_t = Π_{s≤t} (1 − β_s)}. Two schedules: DDPM's linear β (1e-4 → 0.02 by
 * default) and the cosine ᾱ of Nichol &amp; Dhariwal 2021 (offset s = 0.008, β clipped at 0.999).
 * Steps are numbered 1 … T as in the papers; index 0 of every array is step 1.
 */
public final class NoiseSchedule {
  /** How β grows over the steps. */
  public enum Kind {
    LINEAR("linear"), COSINE("cosine");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Kind parse(String s, String key) {
      for (Kind k : values()) {
        if (k.id.equals(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException(key + " must be linear or cosine, not '" + s + "'");
    }
  }

  private final Kind kind;
  private final double[] beta;
  private final double[] alphaBar;

  private NoiseSchedule(Kind kind, double[] beta) {
    this.kind = kind;
    this.beta = beta;
    this.alphaBar = new double[beta.length];
    double product = 1;
    for (int i = 0; i < beta.length; i++) {
      product *= 1 - beta[i];
      alphaBar[i] = product;
    }
  }

  /** DDPM's β rising linearly from {@code betaStart} at step 1 to {@code betaEnd} at step T. */
  public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
    check(steps);
    double[] b = new double[steps];
    for (int i = 0; i < steps; i++) {
      b[i] = steps == 1 ? betaStart : betaStart + (betaEnd - betaStart) * i / (steps - 1);
    }
    return new NoiseSchedule(Kind.LINEAR, b);
  }

  /** The cosine schedule: ᾱ(t) = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s) · π/2). */
  public static NoiseSchedule cosine(int steps) {
    check(steps);
    double s = 0.008;
    double[] b = new double[steps];
    for (int i = 0; i < steps; i++) {
      double before = cosineF(i, steps, s);
      double after = cosineF(i + 1, steps, s);
      b[i] = Math.min(0.999, 1 - after / before);
    }
    return new NoiseSchedule(Kind.COSINE, b);
  }

  /** The schedule {@code kind} with DDPM's default β range for the linear one. */
  public static NoiseSchedule of(Kind kind, int steps) {
    return kind == Kind.LINEAR ? linear(steps, 1e-4, 0.02) : cosine(steps);
  }

  private static double cosineF(int t, int steps, double s) {
    double c = Math.cos(((double) t / steps + s) / (1 + s) * Math.PI / 2);
    return c * c;
  }

  private static void check(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("a schedule needs at least one step, not " + steps);
    }
  }

  public Kind kind() {
    return kind;
  }

  /** T, the number of noising steps. */
  public int steps() {
    return beta.length;
  }

  /** β_t for t in 1 … T. */
  public double beta(int t) {
    return beta[t - 1];
  }

  /** ᾱ_t for t in 0 … T (ᾱ₀ = 1: the clean image). */
  public double alphaBar(int t) {
    return t == 0 ? 1 : alphaBar[t - 1];
  }

  /** The signal-to-noise ratio ᾱ_t / (1 − ᾱ_t) at step t ≥ 1. */
  public double snr(int t) {
    return alphaBar(t) / (1 - alphaBar(t));
  }

  /**
   * The variance of the true posterior q(x_{t−1} | x_t, x₀): β̃_t = (1 − ᾱ_{t−1}) / (1 − ᾱ_t) ·
   * β_t (0 at t = 1).
   */
  public double posteriorVariance(int t) {
    return (1 - alphaBar(t - 1)) / (1 - alphaBar(t)) * beta(t);
  }

  /** The posterior mean's weights (on x₀, on x_t): μ̃_t = c₀ x₀ + c_t x_t. */
  public double[] posteriorMeanWeights(int t) {
    double abPrev = alphaBar(t - 1);
    double ab = alphaBar(t);
    double c0 = Math.sqrt(abPrev) * beta(t) / (1 - ab);
    double ct = Math.sqrt(1 - beta(t)) * (1 - abPrev) / (1 - ab);
    return new double[]{c0, ct};
  }

  /**
   * The step a noise level of {@code fraction} ∈ (0, 1] of the way along the forward process
   * falls on: 1 … T (the Masking workspace's slider for images).
   */
  public int stepAt(double fraction) {
    return (int) Math.max(1, Math.min(steps(), Math.round(fraction * steps())));
  }

  /**
   * The timesteps a sampler of {@code n} steps visits, from T down to 1, evenly spaced (DDIM's
   * sub-sequence; n = T is every step, as DDPM).
   */
  public int[] samplingSteps(int n) {
    int k = Math.max(1, Math.min(n, steps()));
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      // evenly from T to 1, always including both ends when k > 1
      out[i] = k == 1
          ? steps()
          : (int) Math.round(steps() - (double) i * (steps() - 1)
              / (k - 1));
    }
    return out;
  }

  /**
   * DDIM's noise scale (Song et al. 2021, eq. 16) for a jump from step t to step {@code prev}
   * (0: the end): σ = η √((1 − ᾱ_prev) / (1 − ᾱ_t)) √(1 − ᾱ_t / ᾱ_prev). η = 0 is the
   * deterministic DDIM, η = 1 with every step is DDPM's posterior.
   */
  public double ddimSigma(int t, int prev, double eta) {
    double ab = alphaBar(t);
    double abPrev = alphaBar(prev);
    return eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(1 - ab / abPrev);
  }
}
