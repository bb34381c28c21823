package dev.diffulab.core.config;

/**
 * How training corrupts a sequence in masked diffusion.
 *
 * @param ratio {@code levels}: t from {0.1, …, 1.0} (RoBERTa-diffusion); {@code uniform}: t ~ U(ε,
 *     1), stratified across the batch (MDLM)
 * @param epsilon the smallest t for {@code uniform}
 * @param weighting {@code none}: mean cross-entropy over masked tokens; {@code elbo}: each
 *     sequence's masked cross-entropy weighted by 1/t (MDLM's continuous-time bound)
 * @param prefixTokens the first k tokens are never masked (0 = no prefix)
 * @param randomPrefix draw k uniformly from 0…prefixTokens per sequence instead of fixing it
 * @param scheduledSampling the share of training steps in which the model sees its own
 *     predictions: half the masked positions show its greedy guess from a first pass instead of
 *     [MASK], still scored against the truth, so it learns to keep right tokens and mend wrong
 *     ones (Diffusion of Thought's scheduled sampling); 0 never
 */
public record MaskingConfig(
    Ratio ratio, double epsilon, Weighting weighting, int prefixTokens, boolean randomPrefix,
    double scheduledSampling) {

  public MaskingConfig(Ratio ratio, double epsilon, Weighting weighting, int prefixTokens,
      boolean randomPrefix) {
    this(ratio, epsilon, weighting, prefixTokens, randomPrefix, 0);
  }

  /** How the mask ratio t of a training sequence is drawn. */
  public enum Ratio implements ConfigName {
    LEVELS("levels"), UNIFORM("uniform");

    private final String id;

    Ratio(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** How masked cross-entropy is weighted. */
  public enum Weighting implements ConfigName {
    NONE("none"), ELBO("elbo");

    private final String id;

    Weighting(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** How many leading tokens of one document stay a clean prompt: fixed, or drawn up to it. */
  public int drawPrefix(java.util.Random r) {
    return randomPrefix ? r.nextInt(prefixTokens + 1) : prefixTokens;
  }

  static MaskingConfig read(JsonFields f) {
    MaskingConfig c = new MaskingConfig(
        ConfigName.parse(Ratio.class, f.key("ratio"), f.string("ratio", "uniform")),
        f.number("epsilon", 1e-3, 1e-6, 0.5),
        ConfigName.parse(Weighting.class, f.key("weighting"), f.string("weighting", "none")),
        f.integer("prefix_tokens", 0, 0, 4096),
        f.bool("random_prefix", false),
        f.number("scheduled_sampling", 0, 0, 1));
    f.finish();
    return c;
  }
}
