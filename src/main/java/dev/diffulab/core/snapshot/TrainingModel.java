package dev.diffulab.core.snapshot;

/**
 * The model a training run is training, lent to the Masking and Denoise workspaces while the run
 * lasts: {@code model} describes it when the run starts, and is null once the run has ended.
 */
public record TrainingModel(String runId, ModelSnapshot model) implements Snapshot {
  public boolean live() {
    return model != null;
  }
}
