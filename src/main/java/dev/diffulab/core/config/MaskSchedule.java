package dev.diffulab.core.config;

import dev.diffulab.core.config.ConfigName;

/**
 * The masked fraction of the canvas after each denoising step, going from 1 (all masked) at step 0
 * to 0 at the last step. {@code linear} reveals the same number of tokens every step; {@code cosine}
 * (MaskGIT) reveals few early and many late; {@code exponential} reveals many early and few late.
 */
public enum MaskSchedule implements ConfigName {
  LINEAR("linear"), COSINE("cosine"), EXPONENTIAL("exponential");

  /** Decay rate of the exponential schedule: e^-5 ≈ 0.7 % is left masked just before the end. */
  private static final double EXP_RATE = 5.0;

  private final String id;

  MaskSchedule(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  /** The masked fraction at progress {@code s} in [0, 1] (0 = start, all masked; 1 = end, none). */
  public double maskedFraction(double s) {
    s = Math.clamp(s, 0.0, 1.0);
    return switch (this) {
      case LINEAR -> 1.0 - s;
      case COSINE -> Math.cos(Math.PI / 2 * s);
      case EXPONENTIAL -> s >= 1.0 ? 0.0 : Math.exp(-EXP_RATE * s) * (1.0 - s);
    };
  }

  /**
   * How many of {@code n} positions stay masked after each of {@code steps} steps: entry 0 is n
   * (the all-masked canvas), entry {@code steps} is 0, and the counts never increase.
   */
  public int[] maskedCounts(int n, int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    int[] counts = new int[steps + 1];
    counts[0] = n;
    for (int k = 1; k <= steps; k++) {
      int c = (int) Math.round(n * maskedFraction((double) k / steps));
      counts[k] = Math.min(counts[k - 1], c);
    }
    counts[steps] = 0;
    return counts;
  }
}
