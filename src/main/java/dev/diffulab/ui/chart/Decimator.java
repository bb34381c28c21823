package dev.diffulab.ui.chart;

import java.util.Arrays;

/**
 * Thins a line of many points to what a screen can show without changing how it looks (M4
 * aggregation): the x-range in view is cut into one bucket per pixel column and each bucket keeps
 * its first, lowest, highest and last point, in x order, so spikes survive and the strokes between
 * columns join as before. The points just outside the range are kept too, so the line runs to the
 * edges. Points must come in ascending x, as steps do.
 */
public final class Decimator {
  private Decimator() {
  }

  /** Points as parallel arrays. */
  public record Points(double[] x, double[] y) {
    public int size() {
      return x.length;
    }
  }

  /**
   * @param n how many of {@code x}/{@code y} are points
   * @param buckets pixel columns across {@code [lo, hi]}
   */
  public static Points minMax(double[] x, double[] y, int n, double lo, double hi, int buckets) {
    double[] ox = new double[4 * buckets + 8];
    double[] oy = new double[ox.length];
    int out = 0;
    int i = 0;
    while (i < n && x[i] < lo) {
      i++;
    }
    if (i > 0) { // the last point left of the range
      ox[out] = x[i - 1];
      oy[out++] = y[i - 1];
    }
    double width = (hi - lo) / Math.max(1, buckets);
    while (i < n && x[i] <= hi) {
      long bucket = width > 0 ? (long) ((x[i] - lo) / width) : 0;
      int min = i;
      int max = i;
      int j = i + 1;
      while (j < n && x[j] <= hi && (width > 0 ? (long) ((x[j] - lo) / width) : 0) == bucket) {
        if (y[j] < y[min] || Double.isNaN(y[min])) {
          min = j;
        }
        if (y[j] > y[max] || Double.isNaN(y[max])) {
          max = j;
        }
        j++;
      }
      if (out + 5 > ox.length) {
        ox = Arrays.copyOf(ox, ox.length * 2);
        oy = Arrays.copyOf(oy, oy.length * 2);
      }
      int last = -1;
      for (int k : new int[]{i, Math.min(min, max), Math.max(min, max), j - 1}) {
        if (k != last) {
          ox[out] = x[k];
          oy[out++] = y[k];
          last = k;
        }
      }
      i = j;
    }
    if (i < n) { // the first point right of the range
      ox[out] = x[i];
      oy[out++] = y[i];
    }
    return new Points(Arrays.copyOf(ox, out), Arrays.copyOf(oy, out));
  }
}
