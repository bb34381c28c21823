package dev.diffulab.core.masking;

import java.util.Random;

/**
 * The masks the Masking workspace shows: every token gets a threshold fixed by the seed, and a
 * token is masked at ratio r when its threshold is below r — so a token masked at 30 % stays
 * masked at 40 %. The prefix is never masked. Thresholds are spread evenly (a shuffled grid), so
 * the masked count tracks round(r × n) within one token.
 */
public final class NestedMask {
  private final double[] thresholds;
  private final int prefix;

  public NestedMask(int length, int prefix, long seed) {
    this.prefix = Math.clamp(prefix, 0, length);
    int n = length - this.prefix;
    double[] grid = new double[n];
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      grid[i] = (i + 0.5) / n;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      double tmp = grid[i];
      grid[i] = grid[j];
      grid[j] = tmp;
    }
    thresholds = new double[length];
    for (int i = 0; i < length; i++) {
      thresholds[i] = i < this.prefix ? Double.POSITIVE_INFINITY : grid[i - this.prefix];
    }
  }

  /** Which positions are masked at {@code ratio} in [0, 1]. */
  public boolean[] at(double ratio) {
    boolean[] m = new boolean[thresholds.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = thresholds[i] < ratio;
    }
    return m;
  }

}
