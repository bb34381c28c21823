package dev.diffulab.core.metrics;

/** Shannon entropy in nats. */
public final class Entropy {
  private Entropy() {
  }

  public static double ofCounts(long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return 0;
    }
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = (double) c / total;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

}
