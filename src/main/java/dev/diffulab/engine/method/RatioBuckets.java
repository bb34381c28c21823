package dev.diffulab.engine.method;

/**
 * Masked cross-entropy per mask-ratio bucket (10 %, 20 %, …, 100 %), each an exponential moving
 * average over the sequences that fell into it.
 */
final class RatioBuckets {
  static final double[] LEVELS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
  private static final double DECAY = 0.95;

  private final double[] value = new double[LEVELS.length];
  private final double[] weight = new double[LEVELS.length];

  /** Bucket k holds ratios in (k/10, (k+1)/10]. */
  void add(float[] ratio, float[] maskedMeanNll) {
    for (int i = 0; i < ratio.length; i++) {
      if (Float.isNaN(maskedMeanNll[i])) {
        continue;
      }
      int k = Math.clamp((int) Math.ceil(ratio[i] * 10 - 1e-6) - 1, 0, LEVELS.length - 1);
      value[k] = DECAY * value[k] + (1 - DECAY) * maskedMeanNll[i];
      weight[k] = DECAY * weight[k] + (1 - DECAY);
    }
  }

  double[] values() {
    double[] out = new double[LEVELS.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = weight[k] > 0 ? value[k] / weight[k] : Double.NaN;
    }
    return out;
  }
}
