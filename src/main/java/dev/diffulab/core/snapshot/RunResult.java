package dev.diffulab.core.snapshot;

import java.nio.file.Path;
import java.util.Map;

/** How a training run ended: its state, last step, checkpoint (or null) and final metrics. */
public record RunResult(String runId, TrainProgress.State state, int step, Path checkpoint,
    Map<String, Double> metrics, String note) {
  public RunResult(String runId, TrainProgress.State state, int step, Path checkpoint,
      Map<String, Double> metrics) {
    this(runId, state, step, checkpoint, metrics, "");
  }
}
