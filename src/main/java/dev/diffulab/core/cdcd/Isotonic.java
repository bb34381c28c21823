package dev.diffulab.core.cdcd;

/** Isotonic (non-decreasing) regression of weighted bin means by pool-adjacent-violators. */
final class Isotonic {
  private Isotonic() {
  }

  /**
   * @param sums the sum of the values in each bin
   * @param counts how many values each bin holds (empty bins borrow from their neighbours)
   * @return the non-decreasing fit per bin, or null when every bin is empty
   */
  static double[] fit(double[] sums, double[] counts) {
    int n = sums.length;
    double[] value = new double[n];
    double[] weight = new double[n];
    int[] size = new int[n];
    int blocks = 0;
    for (int i = 0; i < n; i++) {
      if (counts[i] == 0) {
        continue;
      }
      value[blocks] = sums[i] / counts[i];
      weight[blocks] = counts[i];
      size[blocks] = 1;
      blocks++;
      while (blocks > 1 && value[blocks - 2] > value[blocks - 1]) {
        double w = weight[blocks - 2] + weight[blocks - 1];
        value[blocks - 2] = (value[blocks - 2] * weight[blocks - 2]
            + value[blocks - 1] * weight[blocks - 1]) / w;
        weight[blocks - 2] = w;
        size[blocks - 2] += size[blocks - 1];
        blocks--;
      }
    }
    if (blocks == 0) {
      return null;
    }
    // expand the blocks back onto the non-empty bins, then fill empty bins from the left
    double[] out = new double[n];
    int block = 0;
    int used = 0;
    double last = value[0];
    for (int i = 0; i < n; i++) {
      if (counts[i] == 0) {
        out[i] = Double.NaN;
        continue;
      }
      out[i] = value[block];
      last = out[i];
      if (++used == size[block]) {
        block++;
        used = 0;
      }
    }
    double fill = Double.NaN;
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(out[i])) {
        fill = out[i];
      } else if (!Double.isNaN(fill)) {
        out[i] = fill;
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      if (Double.isNaN(out[i])) {
        out[i] = i + 1 < n ? out[i + 1] : last;
      }
    }
    return out;
  }
}
