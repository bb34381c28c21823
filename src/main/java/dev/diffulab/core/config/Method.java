package dev.diffulab.core.config;

/**
 * The diffusion families that share the backbone, with what views and files need to know of
 * their noise: whether its level is continuous (σ, shown on a log axis, no [MASK] tokens) or the
 * share of masked positions, and what a trace file calls it. Views ask these properties, never
 * which family they hold, so a new family declares them here.
 */
public enum Method implements ConfigName {
  /** Absorbing-state (masked) diffusion: RoBERTa-diffusion, MDLM, LLaDA. */
  MASKED("masked", "Masked diffusion", "masked diffusion", false, "masked_fraction", "", 0.5,
      Curve.LOSS_BY_LEVEL, false),
  /** Continuous diffusion on normalised embeddings (Dieleman et al. 2022). */
  CDCD("cdcd", "CDCD", "CDCD", true, "sigma", "-cdcd", 1.0, Curve.ENTROPY_BY_SIGMA,
      false) {
    /**
     * Its own embedding width, an output head apart from the embeddings, the projections in and
     * out of the embedding space with the time conditioning, and self-conditioning's second
     * pass keeping about half as many activations again.
     */
    @Override
    public Footprint footprint(RunConfig c) {
      long d = c.model().dModel();
      long e = c.cdcd().embeddingDim(c.model().dModel());
      return new Footprint(e, true, e * d * 2 + 16 * d, c.cdcd().selfConditioning() ? 1.5 : 1.0);
    }
  },
  /**
   * Not diffusion: the baseline every claim about diffusion for text is measured against, a
   * causal decoder of the same transformer, size and tokenizer writing left to right. Its trace's
   * level is the share of the response still unwritten.
   */
  AUTOREGRESSIVE("autoregressive", "Autoregressive baseline", "the autoregressive baseline",
      false, "unwritten_fraction", "-ar", 1.0, Curve.LOSS_BY_LEVEL, true),
  /**
   * Not diffusion either: latent text diffusion's first stage (PLANNER), a transformer encoder
   * to k bounded latent vectors and a causal decoder back to the text. Its noise is Gaussian
   * noise on the latent (its level the share of the latent's variance that is noise); its
   * trace's level is the share of the text still unwritten.
   */
  AUTOENCODER("autoencoder", "Text autoencoder", "the text autoencoder", false,
      "unwritten_fraction", "-autoencoder", 1.0, Curve.LOSS_BY_LEVEL, false) {
    /** An encoder and a decoder, each {@code model.layers} deep: twice the blocks and passes. */
    @Override
    public Footprint footprint(RunConfig c) {
      long d = c.model().dModel();
      long blocks = c.model().layers() * (4 * d * d + 2 * d * c.model().ffn() + 10 * d);
      long z = c.autoencoder().latentDim();
      return new Footprint(d, false, blocks + 2 * z * d + c.autoencoder().latents() * d, 2.0);
    }

    @Override
    public boolean learnsPairs() {
      return false;
    }

    @Override
    public boolean noisesWholeText() {
      return true;
    }

    @Override
    public String levelName() {
      return "Latent noise";
    }

    @Override
    public String levelAxis() {
      return "noise in the latent (% of its variance)";
    }

    @Override
    public boolean drawsTokens() {
      return false;
    }

    @Override
    void check(RunConfig c) {
      if (c.data().packing()) {
        throw ConfigException.at("data.packing", "must be false for the text autoencoder (each"
            + " text is its own row, read whole by the encoder)");
      }
      if (c.data().isPairs()) {
        throw ConfigException.at("data.corpus", "the text autoencoder learns plain text, not"
            + " prompt → response pairs");
      }
    }
  },
  /**
   * Latent text diffusion (PLANNER, Zhang et al. 2023): the text autoencoder trained first, then
   * frozen, and a Gaussian denoiser (the image family's patch transformer, each latent vector a
   * token) learning its latents; DDIM from noise to a latent, the decoder from the latent to a
   * text. Its level is the share of the latent's variance that is noise. On prompt → response
   * pairs it is an encoder–diffusion–decoder model (CodeFusion, Singh et al. 2023): the denoiser
   * reads the prompt's encoder by cross-attention.
   */
  LATENT("latent", "Latent diffusion", "latent diffusion", false, "noise_fraction", "-latent",
      1.0, Curve.LOSS_BY_LEVEL, false) {
    /**
     * The autoencoder's two halves and the denoiser's blocks with their adaLN maps; a step runs
     * one of the two stages, the autoencoder's the larger.
     */
    @Override
    public Footprint footprint(RunConfig c) {
      long d = c.model().dModel();
      long block = 4 * d * d + 2 * d * c.model().ffn() + 10 * d;
      long denoiser = c.model().layers() * (4 * d * d + 8 * d * d + 6 * d * d + 10 * d);
      long z = c.autoencoder().latentDim();
      // on pairs, the prompt's encoder (its embedding counted as the autoencoder's is) and the
      // denoiser's cross-attention
      long conditional = c.data().isPairs()
          ? c.model().layers() * (block + 4 * d * d + 6 * d) + c.model().seqLen() * d
          : 0;
      return new Footprint(d, false, c.model().layers() * block + 2 * z * d
          + c.autoencoder().latents() * d + denoiser + conditional, 2.0);
    }

    @Override
    public boolean noisesWholeText() {
      return true;
    }

    @Override
    public String levelName() {
      return "Latent noise";
    }

    @Override
    public String levelAxis() {
      return "noise in the latent (% of its variance)";
    }

    @Override
    public String levelLoss() {
      return "denoising error (v, mean square)";
    }

    @Override
    public boolean drawsTokens() {
      return false;
    }

    @Override
    public boolean endsItsTexts() {
      return true;
    }

    /** The denoiser's stage starts a fresh optimiser where the autoencoder's ends. */
    @Override
    public int optimizerStart(RunConfig c, int step) {
      int first = c.autoencoder().firstSteps(c.train().steps());
      return step > first ? first : 0;
    }

    /** Yes: its denoiser learns without the prompt too, for classifier-free guidance. */
    @Override
    public boolean guidesByPrompt() {
      return true;
    }

    /** Yes: DDIM over the latent, with η from deterministic to DDPM's noise. */
    @Override
    public boolean samplesByDdim() {
      return true;
    }

    /** No: a response is decoded whole from one latent, not continued thought by thought. */
    @Override
    public boolean answersThoughtByThought() {
      return false;
    }

    @Override
    void check(RunConfig c) {
      if (c.data().packing()) {
        throw ConfigException.at("data.packing", "must be false for latent diffusion (each"
            + " text is its own row, read whole by the encoder)");
      }
      int first = c.autoencoder().firstSteps(c.train().steps());
      if (first < 1 || first >= c.train().steps()) {
        throw ConfigException.at("autoencoder.first_steps", "must leave steps for both stages"
            + " of train.steps = " + c.train().steps() + " (it is " + first + ")");
      }
    }
  };

  /**
   * What a family adds to the shared transformer's memory, for the memory estimate.
   *
   * @param embeddingDim the width of its token embeddings
   * @param ownHead whether its output head is a matrix apart from the embeddings
   * @param extraParameters parameters beyond the transformer, embeddings and head
   * @param activationFactor how many times the activations of one pass a step keeps
   */
  public record Footprint(long embeddingDim, boolean ownHead, long extraParameters,
      double activationFactor) {
  }

  /**
   * The family's memory footprint under {@code c}: by default the transformer's own embeddings,
   * tied to the head unless the config unties them, nothing more.
   */
  public Footprint footprint(RunConfig c) {
    return new Footprint(c.model().dModel(), !c.model().tieEmbeddings(), 0, 1.0);
  }

  /**
   * Whether a noise level reaches every position at once (CDCD's σ on every embedding, the
   * autoencoder's noise on the latent the whole text is written back from) rather than hiding a
   * share of the positions.
   */
  public boolean noisesWholeText() {
    return continuousNoise;
  }

  /** What the Noising slider sets, in a word or two ("Masked", "Noise σ"). */
  public String levelName() {
    return continuousNoise ? "Noise σ" : "Masked";
  }

  /** The x axis of the model's loss at each level ("mask ratio (%)", "log10 σ"). */
  public String levelAxis() {
    return continuousNoise ? "log10 σ" : "mask ratio (%)";
  }

  /** What the loss at each noise level is, as an axis says it. */
  public String levelLoss() {
    return "cross-entropy (nats)";
  }

  /**
   * Whether its sampler draws tokens by the sampler's token rules (schedule, remasking, token
   * choice, top-k/p, temperature); not a family that decodes a latent greedily.
   */
  public boolean drawsTokens() {
    return true;
  }

  /** Whether its samples end where the model ends them, whatever length is asked. */
  public boolean endsItsTexts() {
    return false;
  }

  /**
   * Whether it can answer thought by thought (multi-pass Diffusion of Thought): its response
   * continues a condition that grows by each thought.
   */
  public boolean answersThoughtByThought() {
    return true;
  }

  /**
   * The step the optimiser that trains step {@code step} of a run under {@code c} started at:
   * 0 for a family with one optimiser; a family that trains in stages starts a fresh one per
   * stage, so its checkpoint counts only that stage's updates.
   */
  public int optimizerStart(RunConfig c, int step) {
    return 0;
  }

  /**
   * Whether a model of it that answers prompts can be sampled with classifier-free guidance
   * ({@code sampler.guidance}): its denoiser learned with and without the prompt.
   */
  public boolean guidesByPrompt() {
    return false;
  }

  /**
   * Whether its sampler is DDIM over Gaussian noise, whose η ({@code sampler.eta}) sets how much
   * fresh noise each step adds (0 deterministic, 1 DDPM's ancestral steps) and whose noise
   * {@code sampler.noise_temperature} scales.
   */
  public boolean samplesByDdim() {
    return false;
  }

  /** Whether it can learn prompt → response pairs (a built-in task or {@code data.pairs}). */
  public boolean learnsPairs() {
    return true;
  }

  /** Refuses, naming the key, a config this family cannot run; nothing for most families. */
  void check(RunConfig c) {
  }

  /** The family a new run or an unnamed config takes. */
  public static final Method DEFAULT = MASKED;

  /** The curve that is the family's signature, drawn live while it trains. */
  public enum Curve {
    /** The loss at each masking level, falling as it learns. */
    LOSS_BY_LEVEL,
    /** CDCD's cross-entropy against σ with its fitted time warp. */
    ENTROPY_BY_SIGMA
  }

  private final String id;
  private final String displayName;
  private final String label;
  private final boolean continuousNoise;
  private final String levelKey;
  private final String configSuffix;
  private final double scoredShare;
  private final Curve curve;
  private final boolean causal;

  Method(String id, String displayName, String label, boolean continuousNoise, String levelKey,
      String configSuffix, double scoredShare, Curve curve, boolean causal) {
    this.causal = causal;
    this.id = id;
    this.displayName = displayName;
    this.label = label;
    this.continuousNoise = continuousNoise;
    this.levelKey = levelKey;
    this.configSuffix = configSuffix;
    this.scoredShare = scoredShare;
    this.curve = curve;
  }

  /**
   * Whether the family writes one token a step, left to right, whatever the sampler's step count
   * (the causal baseline): its accuracy does not depend on denoising steps.
   */
  public boolean oneTokenAStep() {
    return causal;
  }

  /**
   * Whether it learns prompt → response pairs only (plain text would need a start token the
   * tokenizers do not have): the causal baseline.
   */
  public boolean pairsOnly() {
    return causal;
  }

  /** The family's name inside a sentence or a model's label ("masked diffusion", "CDCD"). */
  public String label() {
    return label;
  }

  /**
   * What the family's shipped configs add to a kind's file name ({@code quick-test} +
   * {@code -cdcd}); empty for the default family.
   */
  public String configSuffix() {
    return configSuffix;
  }

  /**
   * The share of a sequence's positions its loss scores on average (masked: the mean masking
   * ratio of a uniform draw; CDCD: every position): what the output head costs per token.
   */
  public double scoredShare() {
    return scoredShare;
  }

  public Curve curve() {
    return curve;
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
