package dev.diffulab.core.config;

/**
 * The optimisation loop: AdamW with linear warm-up then cosine decay, gradient clipping by global
 * norm, and how often the run evaluates, previews samples and writes a checkpoint (0 = never).
 */
public record TrainConfig(
    int steps,
    int batchSize,
    double learningRate,
    int warmupSteps,
    double weightDecay,
    double gradClip,
    int logEvery,
    int evalEvery,
    int sampleEvery,
    int checkpointEvery,
    int previewSamples) {

  public TrainConfig withSteps(int newSteps) {
    if (newSteps < 1) {
      throw ConfigException.at("train.steps", "must be at least 1, got " + newSteps);
    }
    return new TrainConfig(
        newSteps,
        batchSize,
        learningRate,
        Math.min(warmupSteps, newSteps),
        weightDecay,
        gradClip,
        logEvery,
        evalEvery,
        sampleEvery,
        checkpointEvery,
        previewSamples);
  }

  static TrainConfig read(JsonFields f) {
    TrainConfig c = new TrainConfig(
        f.integer("steps", 400, 1, 100_000_000),
        f.integer("batch_size", 32, 1, 65536),
        f.number("learning_rate", 1e-3, 1e-7, 1.0),
        f.integer("warmup_steps", 40, 0, 100_000_000),
        f.number("weight_decay", 0.01, 0.0, 1.0),
        f.number("grad_clip", 1.0, 0.0, 1e6),
        f.integer("log_every", 10, 1, 1_000_000),
        f.integer("eval_every", 100, 0, 1_000_000),
        f.integer("sample_every", 100, 0, 1_000_000),
        f.integer("checkpoint_every", 0, 0, 1_000_000),
        f.integer("preview_samples", 4, 0, 64));
    f.finish();
    return c;
  }
}
