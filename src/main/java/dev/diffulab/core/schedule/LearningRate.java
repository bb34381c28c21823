package dev.diffulab.core.schedule;

/** Linear warm-up to the peak learning rate, then cosine decay to a tenth of it at the last step. */
public record LearningRate(double peak, int warmupSteps, int totalSteps) {
  public double at(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    double progress = totalSteps <= warmupSteps
        ? 1.0
        : (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    double floor = 0.1 * peak;
    return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
  }
}
