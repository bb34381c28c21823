package dev.diffulab.engine.method;

import dev.diffulab.engine.model.AdamW;
import java.util.Map;
import java.util.Random;

/**
 * A diffusion method inside one training run ({@link DiffusionMethod#training}): how a batch
 * becomes a loss, which per-noise-level curve is published, how the model is evaluated and
 * sampled, and what a checkpoint carries besides the parameters. The loop around it is the
 * training run's.
 */
public interface Family extends AutoCloseable {
  /**
   * What a step measured.
   *
   * @param tokens real tokens of the batch
   * @param positions positions computed (real and padding), over all its groups
   */
  record Outcome(float loss, float gradNorm, long tokens, long positions) {
  }

  /**
   * The learning rate of the step that starts at {@code step} (0 first): the run's schedule
   * unless the family runs stages of its own (latent diffusion).
   */
  default double learningRate(dev.diffulab.core.schedule.LearningRate schedule, int step) {
    return schedule.at(step);
  }

  /** One optimisation step on a batch (its rows one document each, or packed). */
  Outcome step(dev.diffulab.core.data.TrainBatch batch, Random random, double lr);

  /** The noise levels of the last step's documents, in words (for a skipped update's log line). */
  default String lastNoise() {
    return "";
  }

  /** Publishes the per-noise-level curve (every {@code log_every} steps). */
  void publishCurve(int step);

  void evaluate(int step, Map<String, Double> metrics);

  void preview(int step);

  AdamW optimizer();

  /**
   * What the family keeps beside the parameters as it stands (CDCD: its time warp), which
   * sampling the training model needs; {@code ModelExtras.NONE} when nothing.
   */
  default dev.diffulab.core.checkpoint.ModelExtras extras() {
    return dev.diffulab.core.checkpoint.ModelExtras.NONE;
  }

  /** Continues from a checkpoint's extras (CDCD: its time warp and refit rhythm). */
  default void restore(dev.diffulab.engine.checkpoint.Checkpoint.Contents checkpoint) {
  }

  /** Extra files for the checkpoint directory (name → content); none unless a family keeps some. */
  default Map<String, String> checkpointFiles() {
    return Map.of();
  }

  @Override
  void close();
}
