package dev.diffulab.core.config;

/** The two diffusion families that share the backbone. */
public enum Method implements ConfigName {
  /** Absorbing-state (masked) diffusion: RoBERTa-diffusion, MDLM, LLaDA. */
  MASKED("masked"),
  /** Continuous diffusion on normalised embeddings (Dieleman et al. 2022). */
  CDCD("cdcd");

  private final String id;

  Method(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }
}
