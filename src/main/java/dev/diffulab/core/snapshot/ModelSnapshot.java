package dev.diffulab.core.snapshot;

/**
 * The model the Masking and Denoise workspaces use: where it came from and what it is.
 *
 * @param source a checkpoint directory or a run name
 * @param method "masked" or "cdcd"
 * @param summary one line: size, steps trained, corpus
 * @param sigmaMin for CDCD, the smallest noise level (0 otherwise)
 * @param sigmaMax for CDCD, the largest noise level (0 otherwise)
 * @param curveX mask ratios (masked) or noise levels σ (CDCD) at which the model was measured;
 *     null for a training run's model, whose curve the Train workspace draws live
 * @param curveY its cross-entropy there, in nats, on stories it did not train on (or null)
 * @param sigmaGrid CDCD: the warped sampling grid σ_0 = σ_max … σ_K = σ_min (empty otherwise)
 * @param sampler the sampler settings the model ships with (its config's), which the Denoise
 *     workspace starts from
 */
public record ModelSnapshot(String source, String method, String summary, int seqLen,
    String defaultSampler, double sigmaMin, double sigmaMax, double[] curveX, double[] curveY,
    double[] sigmaGrid, dev.diffulab.core.config.SamplerConfig sampler, String task)
    implements
      Snapshot {

  /**
   * Whether the model answers prompts (trained on prompt → response pairs); {@code task} then
   * names its corpus, which says how answers are graded ({@link dev.diffulab.core.pairs.Tasks}).
   */
  public boolean answers() {
    return task != null && !task.isEmpty();
  }

  /** The model's family, whose noise properties the views follow. */
  public dev.diffulab.core.config.Method family() {
    return dev.diffulab.core.config.Method.of(method);
  }
}
