package dev.diffulab.ui.chart;

/**
 * Exponential moving average with bias correction (as in Adam and TensorBoard): early values are
 * not dragged towards zero. {@code weight} 0 shows the raw values, close to 1 smooths hard.
 */
public final class Smoother {
  private final double weight;
  private double average;
  private int count;

  public Smoother(double weight) {
    if (weight < 0 || weight >= 1) {
      throw new IllegalArgumentException("smoothing weight must be in [0, 1), got " + weight);
    }
    this.weight = weight;
  }

  public double add(double value) {
    count++;
    average = weight * average + (1 - weight) * value;
    return average / (1 - Math.pow(weight, count));
  }

  public static double[] smooth(double[] values, double weight) {
    Smoother s = new Smoother(weight);
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = s.add(values[i]);
    }
    return out;
  }
}
