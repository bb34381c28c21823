package dev.diffulab.engine.train;

import java.util.Map;
import java.util.Random;

/**
 * What differs between the two diffusion families inside one training run: how a batch becomes
 * a loss, which per-noise-level curve is published, how the model is evaluated and sampled, and
 * what a checkpoint carries besides the parameters. The loop around it is {@link TrainingRun}'s.
 */
interface Family extends AutoCloseable {
  /** What a step measured. */
  record Outcome(float loss, float gradNorm, long tokens) {
  }

  /** One optimisation step on a batch (its rows one document each, or packed). */
  Outcome step(dev.diffulab.core.data.TrainBatch batch, Random random, double lr);

  /** Publishes the per-noise-level curve (every {@code log_every} steps). */
  void publishCurve(int step);

  void evaluate(int step, Map<String, Double> metrics);

  void preview(int step);

  AdamW optimizer();

  /** CDCD's time warp as it stands (what sampling the training model needs), or null. */
  default dev.diffulab.core.cdcd.TimeWarp warp() {
    return null;
  }

  /** Extra files for the checkpoint directory (name → content). */
  Map<String, String> checkpointFiles();

  @Override
  void close();
}
