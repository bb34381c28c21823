package dev.diffulab.core.config;

/**
 * The diffusion families that share the backbone, with what views and files need to know of
 * their noise: whether its level is continuous (σ, shown on a log axis, no [MASK] tokens) or the
 * share of masked positions, and what a trace file calls it. Views ask these properties, never
 * which family they hold, so a new family declares them here.
 */
public enum Method implements ConfigName {
  /** Absorbing-state (masked) diffusion: RoBERTa-diffusion, MDLM, LLaDA. */
  MASKED("masked", "Masked diffusion", false, "masked_fraction"),
  /** Continuous diffusion on normalised embeddings (Dieleman et al. 2022). */
  CDCD("cdcd", "CDCD", true, "sigma");

  private final String id;
  private final String displayName;
  private final boolean continuousNoise;
  private final String levelKey;

  Method(String id, String displayName, boolean continuousNoise, String levelKey) {
    this.id = id;
    this.displayName = displayName;
    this.continuousNoise = continuousNoise;
    this.levelKey = levelKey;
  }

  @Override
  public String id() {
    return id;
  }

  /** The family's name as the window shows it. */
  public String displayName() {
    return displayName;
  }

  /**
   * Whether the noise level is a continuous σ (drawn on a log axis; every position always holds
   * a best guess, certainty is 1 − entropy / ln V) rather than the share of positions masked
   * (hidden as [MASK] until revealed, with the model's confidence in each written token).
   */
  public boolean continuousNoise() {
    return continuousNoise;
  }

  /** What a trace file calls a step's noise level. */
  public String levelKey() {
    return levelKey;
  }

  /** The family with this id; fails naming it when there is none. */
  public static Method of(String id) {
    for (Method m : values()) {
      if (m.id.equals(id)) {
        return m;
      }
    }
    throw new IllegalArgumentException("no diffusion method '" + id + "'");
  }
}
