package dev.diffulab.core.config;

/**
 * Default settings of the sampler: {@code steps} denoising steps over a canvas of {@code length}
 * tokens ({@code 0}: each sample's length is drawn from the training corpus's story lengths, so
 * the model writes whole stories that end where stories end). Masked diffusion uses the
 * schedule, remasking rule and token choice; CDCD uses the solver, and its {@code low-confidence}
 * or {@code random} remasking commits positions as clean tokens on the schedule; both use the
 * temperature. {@code remaskingTemperature} adds MaskGIT's Gumbel noise to the confidences that
 * {@code low-confidence} remasking ranks (Chang et al. 2022), annealed to zero over the steps:
 * 0 ranks by confidence alone. {@code remdmLoop} is the share of the steps that ReMDM's
 * {@code remdm} rule spends looping, {@code remdmEta} the share of the written tokens it
 * re-masks at each loop step (at least one), {@code remdmDecode} the rule that unmasks before
 * the loop ({@code ancestral} as in the paper, or {@code low-confidence}). {@code blocks} splits
 * the canvas into that many blocks that low-confidence unmasking fills left to right.
 * {@code guidance} is the classifier-free guidance weight of a model that reads a prompt and
 * learned without it too (latent diffusion on pairs): 1 the conditional model as trained, 0 no
 * prompt, above 1 guided (Ho &amp; Salimans 2022). {@code eta} is DDIM's η for latent diffusion
 * (Song et al. 2021): 0 the deterministic sampler, 1 the fresh noise of DDPM's ancestral steps;
 * {@code noiseTemperature} scales the noise latent diffusion starts from and adds (1: the
 * model's own distribution; below 1 nearer its commonest latents, as a lower temperature is).
 * {@code minP} is the threshold of {@code min-p} sampling (Nguyen et al. 2024): a token is a
 * candidate when its probability is at least {@code minP} times the likeliest token's, so the cut
 * follows the model's certainty — a near-sure position keeps its one or two tokens, a slot open
 * to many names keeps all of them.
 */
public record SamplerConfig(
    int steps,
    MaskSchedule schedule,
    Remasking remasking,
    TokenChoice tokenChoice,
    int topK,
    double topP,
    double temperature,
    Solver solver,
    int length,
    int numSamples,
    double remaskingTemperature,
    double remdmLoop,
    double remdmEta,
    Remasking remdmDecode,
    int blocks,
    Confidence confidence,
    double guidance,
    double eta,
    double noiseTemperature,
    double minP) {

  /** A setting's allowed values, both ends included: one place for the record, files and CLI. */
  public record Range(double min, double max) {
    public boolean holds(double v) {
      return v >= min && v <= max;
    }

    /** The value, or one message naming {@code option} and the range. */
    public double check(String option, double v) {
      if (!holds(v)) {
        throw new dev.diffulab.core.InputException(option + " must be in " + this + ", got "
            + plain(v));
      }
      return v;
    }

    @Override
    public String toString() {
      return "[" + plain(min) + ", " + plain(max) + "]";
    }

    private static String plain(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e9
          ? Long.toString((long) v)
          : Double.toString(v);
    }
  }

  /** Classifier-free guidance weight (1 neutral). */
  public static final Range GUIDANCE = new Range(0, 50);
  /** DDIM's η: 0 deterministic, 1 DDPM's fresh noise. */
  public static final Range ETA = new Range(0, 1);
  /** Scale of the noise latent diffusion starts from and adds. */
  public static final Range NOISE_TEMPERATURE = new Range(0.01, 2);
  /** min-p's threshold, relative to the likeliest token's probability (1: greedy). */
  public static final Range MIN_P = new Range(0.001, 1);
  /** min-p's threshold where a config does not give one. */
  public static final double DEFAULT_MIN_P = 0.1;

  public SamplerConfig {
    if (remdmDecode != Remasking.ANCESTRAL && remdmDecode != Remasking.LOW_CONFIDENCE) {
      throw new IllegalArgumentException("remdm decodes by ancestral or low-confidence"
          + " unmasking, not " + remdmDecode);
    }
    if (blocks < 1) {
      throw new IllegalArgumentException("blocks must be at least 1, got " + blocks);
    }
    if (!GUIDANCE.holds(guidance)) {
      throw new IllegalArgumentException("guidance lies in " + GUIDANCE + ", got " + guidance);
    }
    if (!ETA.holds(eta)) {
      throw new IllegalArgumentException("DDIM's eta lies in " + ETA + ", got " + eta);
    }
    if (!NOISE_TEMPERATURE.holds(noiseTemperature)) {
      throw new IllegalArgumentException("the noise temperature lies in " + NOISE_TEMPERATURE
          + ", got " + noiseTemperature);
    }
    if (!MIN_P.holds(minP)) {
      throw new IllegalArgumentException("min-p lies in " + MIN_P + ", got " + minP);
    }
  }

  /** Ranked by the drawn token's probability, as LLaDA and MaskGIT do. */
  public SamplerConfig(int steps, MaskSchedule schedule, Remasking remasking,
      TokenChoice tokenChoice, int topK, double topP, double temperature, Solver solver,
      int length, int numSamples, double remaskingTemperature, double remdmLoop, double remdmEta,
      Remasking remdmDecode, int blocks) {
    this(steps, schedule, remasking, tokenChoice, topK, topP, temperature, solver, length,
        numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode, blocks,
        Confidence.TOP, 1.0, 0.0, 1.0, DEFAULT_MIN_P);
  }

  /** One block: low-confidence unmasking over the whole canvas at once. */
  public SamplerConfig(int steps, MaskSchedule schedule, Remasking remasking,
      TokenChoice tokenChoice, int topK, double topP, double temperature, Solver solver,
      int length, int numSamples, double remaskingTemperature, double remdmLoop, double remdmEta,
      Remasking remdmDecode) {
    this(steps, schedule, remasking, tokenChoice, topK, topP, temperature, solver, length,
        numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode, 1);
  }

  /** Which positions stay masked after a step (masked diffusion). */
  public enum Remasking implements ConfigName {
    /** RoBERTa-diffusion: a random subset of the predictions is kept. */
    RANDOM("random"),
    /** LLaDA / MaskGIT: the most confident predictions are kept, the rest re-masked. */
    LOW_CONFIDENCE("low-confidence"),
    /** MDLM: each masked token is revealed with probability (t_s − t_{s−1}) / t_s. */
    ANCESTRAL("ancestral"),
    /**
     * ReMDM (Wang et al. 2025), the "loop" schedule with confidence-based remasking: ancestral
     * unmasking over the first steps, then a loop in which each step re-masks the written tokens
     * the model was least sure of and writes them again with the whole story as context — so a
     * token chosen early, with little context, can still be corrected.
     */
    REMDM("remdm");

    private final String id;

    Remasking(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /**
   * What low-confidence unmasking ranks the blanks by. {@code drawn}: the probability of the token
   * drawn there (LLaDA, MaskGIT) — with sampling, the blank whose draw happened to land on the more
   * likely of two near-equal tokens wins, so a 52 : 48 preference (he or she, one place or
   * another) becomes the choice of nearly every story. {@code top}: the probability of the
   * position's most likely token, which does not depend on the draw: the surest blanks still come
   * first, and each token keeps the model's odds.
   */
  public enum Confidence implements ConfigName {
    DRAWN("drawn"), TOP("top");

    private final String id;

    Confidence(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** How a token is drawn from the model's distribution at a position. */
  public enum TokenChoice implements ConfigName {
    GREEDY("greedy"), TOP_K("top-k"), NUCLEUS("nucleus"), MIN_P("min-p");

    private final String id;

    TokenChoice(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /**
   * How the CDCD sampler steps from σ to the next, lower σ': Euler or Heun on the probability-flow
   * ODE, or ancestral — the Gaussian posterior of x at σ' given x and the denoised estimate x̂₀
   * (x̂₀ + (σ'/σ)²(x − x̂₀) plus fresh noise of variance σ'²(1 − (σ'/σ)²), as DDPM steps), whose
   * fresh noise lets later steps undo an early commitment.
   */
  public enum Solver implements ConfigName {
    EULER("euler"), HEUN("heun"), ANCESTRAL("ancestral");

    private final String id;

    Solver(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  public SamplerConfig with(int newSteps, MaskSchedule newSchedule, Remasking newRemasking,
      TokenChoice newChoice, int newTopK, double newTopP, double newTemperature, int newLength,
      int newNumSamples) {
    return new SamplerConfig(newSteps, newSchedule, newRemasking, newChoice, newTopK, newTopP,
        newTemperature, solver, newLength, newNumSamples, remaskingTemperature, remdmLoop,
        remdmEta, remdmDecode, blocks, confidence, guidance, eta, noiseTemperature, minP);
  }

  public SamplerConfig withSolver(Solver newSolver) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        newSolver, length, numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode,
        blocks, confidence, guidance, eta, noiseTemperature, minP);
  }

  /** The same settings with MaskGIT's confidence noise at temperature {@code t}. */
  public SamplerConfig withRemaskingTemperature(double t) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, t, remdmLoop, remdmEta, remdmDecode, blocks, confidence,
        guidance, eta, noiseTemperature, minP);
  }

  /** The same settings with ReMDM's loop share of the steps and re-masked share per loop step. */
  public SamplerConfig withRemdm(double loop, double remask) {
    return withRemdm(loop, remask, remdmDecode);
  }

  /** As above, with the rule that unmasks before the loop: ancestral or low-confidence. */
  public SamplerConfig withRemdm(double loop, double remask, Remasking decode) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, remaskingTemperature, loop, remask, decode, blocks, confidence,
        guidance, eta, noiseTemperature, minP);
  }

  /**
   * The same settings in {@code n} blocks, filled left to right (LLaDA's semi-autoregressive
   * remasking): low-confidence unmasking reveals the surest blanks of the leftmost block that
   * still has any, and moves right only when it is full.
   */
  public SamplerConfig withBlocks(int n) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode, n,
        confidence, guidance, eta, noiseTemperature, minP);
  }

  /** The same settings ranking blanks by {@code c}. */
  public SamplerConfig withConfidence(Confidence c) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode,
        blocks, c, guidance, eta, noiseTemperature, minP);
  }

  /** The same settings with classifier-free guidance of weight {@code w}. */
  public SamplerConfig withGuidance(double w) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode,
        blocks, confidence, w, eta, noiseTemperature, minP);
  }

  /** The same settings with DDIM's η (latent diffusion): 0 deterministic, 1 DDPM's noise. */
  public SamplerConfig withEta(double newEta) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode,
        blocks, confidence, guidance, newEta, noiseTemperature, minP);
  }

  /** The same settings with latent diffusion's noise scaled by {@code t}. */
  public SamplerConfig withNoiseTemperature(double t) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode,
        blocks, confidence, guidance, eta, t, minP);
  }

  /** The same settings with min-p's threshold {@code p}. */
  public SamplerConfig withMinP(double p) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, remaskingTemperature, remdmLoop, remdmEta, remdmDecode,
        blocks, confidence, guidance, eta, noiseTemperature, p);
  }

  /** The rule that decides which blanks a step reveals: ReMDM's decode rule, or the rule itself. */
  public Remasking unmaskingRule() {
    return remasking == Remasking.REMDM ? remdmDecode : remasking;
  }

  /** Steps of ancestral unmasking before ReMDM's loop (all of them for the other rules). */
  public int decodeSteps() {
    return remasking == Remasking.REMDM
        ? Math.max(1, steps - (int) Math.round(remdmLoop * steps))
        : steps;
  }

  private static Remasking remdmDecode(JsonFields f) {
    Remasking r = ConfigName.parse(Remasking.class, f.key("remdm_decode"),
        f.string("remdm_decode", "ancestral"));
    if (r != Remasking.ANCESTRAL && r != Remasking.LOW_CONFIDENCE) {
      throw ConfigException.at(f.key("remdm_decode"), "ancestral or low-confidence, got '"
          + r.id() + "'");
    }
    return r;
  }

  /** The settings as the "sampler" section of a config file. */
  public com.google.gson.JsonObject toJson() {
    com.google.gson.JsonObject s = new com.google.gson.JsonObject();
    s.addProperty("steps", steps);
    s.addProperty("schedule", schedule.id());
    s.addProperty("remasking", remasking.id());
    s.addProperty("sampling", tokenChoice.id());
    s.addProperty("top_k", topK);
    s.addProperty("top_p", topP);
    s.addProperty("temperature", temperature);
    s.addProperty("solver", solver.id());
    s.addProperty("length", length);
    s.addProperty("remasking_temperature", remaskingTemperature);
    s.addProperty("remdm_loop", remdmLoop);
    s.addProperty("remdm_eta", remdmEta);
    s.addProperty("blocks", blocks);
    s.addProperty("remdm_decode", remdmDecode.id());
    s.addProperty("num_samples", numSamples);
    s.addProperty("confidence", confidence.id());
    s.addProperty("guidance", guidance);
    s.addProperty("eta", eta);
    s.addProperty("noise_temperature", noiseTemperature);
    s.addProperty("min_p", minP);
    return s;
  }

  /**
   * The same settings with one config key ({@code top_p}, or {@code top-p}) set to a value, read
   * with the config file's own checks; an unknown key or a value out of range fails naming
   * {@code where} and the key.
   */
  public SamplerConfig with(String key, String value, int seqLen, String where) {
    com.google.gson.JsonObject j = toJson();
    String k = key.strip().replace('-', '_');
    if (!j.has(k)) {
      throw ConfigException.at(where + "." + key, "not a sampler setting; one of "
          + String.join(", ", j.keySet()));
    }
    String v = value.strip();
    try {
      j.addProperty(k, new java.math.BigDecimal(v));
    } catch (NumberFormatException e) {
      j.addProperty(k, v);
    }
    return read(new JsonFields(j, where), seqLen);
  }

  static SamplerConfig read(JsonFields f, int seqLen) {
    SamplerConfig c = new SamplerConfig(
        f.integer("steps", 32, 1, 10_000),
        ConfigName.parse(MaskSchedule.class, f.key("schedule"), f.string("schedule", "cosine")),
        ConfigName.parse(
            Remasking.class, f.key("remasking"), f.string("remasking", "ancestral")),
        ConfigName.parse(
            TokenChoice.class, f.key("sampling"), f.string("sampling", "nucleus")),
        f.integer("top_k", 20, 1, 1_000_000),
        f.number("top_p", 0.9, 1e-6, 1.0),
        f.number("temperature", 0.8, 1e-3, 100.0),
        ConfigName.parse(Solver.class, f.key("solver"), f.string("solver", "euler")),
        f.integer("length", 0, 0, seqLen),
        f.integer("num_samples", 4, 1, 1024),
        f.number("remasking_temperature", 0.0, 0.0, 100.0),
        f.number("remdm_loop", 0.25, 0.0, 0.9),
        f.number("remdm_eta", 0.04, 1e-4, 0.5),
        remdmDecode(f),
        f.integer("blocks", 1, 1, seqLen),
        ConfigName.parse(Confidence.class, f.key("confidence"), f.string("confidence", "top")),
        f.number("guidance", 1.0, GUIDANCE.min(), GUIDANCE.max()),
        f.number("eta", 0.0, ETA.min(), ETA.max()),
        f.number("noise_temperature", 1.0, NOISE_TEMPERATURE.min(), NOISE_TEMPERATURE.max()),
        f.number("min_p", DEFAULT_MIN_P, MIN_P.min(), MIN_P.max()));
    f.finish();
    return c;
  }
}
