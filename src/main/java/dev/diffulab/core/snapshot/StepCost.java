package dev.diffulab.core.snapshot;

/**
 * The measured cost of a training step: seconds, non-padding tokens per second, on which device;
 * the share of computed positions that were real tokens, and the mean length of a (trimmed)
 * batch.
 */
public record StepCost(double secondsPerStep, double tokensPerSecond, String device,
    int measuredSteps, double realTokenFraction, double meanBatchLength) {
  /** The time {@code steps} steps take at this cost, in milliseconds. */
  public long millisFor(int steps) {
    return (long) (secondsPerStep * steps * 1000);
  }
}
