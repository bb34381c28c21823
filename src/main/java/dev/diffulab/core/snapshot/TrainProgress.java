package dev.diffulab.core.snapshot;

/**
 * Where a training run is: what the step label, progress bar and status line show.
 *
 * @param loss the latest training loss
 * @param tokensPerSecond training tokens per second over the last few steps
 * @param etaMillis estimated time to the last step, or -1 before it can be estimated
 */
public record TrainProgress(String runId, State state, int step, int totalSteps, double loss,
    double learningRate, double tokensPerSecond, long elapsedMillis, long etaMillis, String device,
    String message) implements Snapshot, Background {

  public enum State {
    STARTING, RUNNING, PAUSED, FINISHED, STOPPED, FAILED
  }
}
