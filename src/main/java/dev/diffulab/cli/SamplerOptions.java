package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.MaskSchedule;
import dev.diffulab.core.config.SamplerConfig;
import picocli.CommandLine.Option;

/**
 * The sampler options {@code generate} and {@code evaluate} share: each one given replaces the
 * checkpoint config's setting, after a range check that names the option.
 */
final class SamplerOptions {
  @Option(names = "--num-samples", description = "How many samples (default: the config's).")
  Integer numSamples;
  @Option(names = "--length", description = "Canvas length in tokens (0: drawn from the corpus).")
  Integer length;
  @Option(names = "--steps", description = "Denoising steps.")
  Integer steps;
  @Option(names = "--schedule", description = "linear, cosine or exponential.")
  String schedule;
  @Option(names = "--remasking", description = "random, low-confidence, ancestral or remdm"
      + " (CDCD: low-confidence or random commit positions on the way down).")
  String remasking;
  @Option(names = "--sampling", description = "greedy, top-k, nucleus or min-p.")
  String sampling;
  @Option(names = "--top-k")
  Integer topK;
  @Option(names = "--top-p")
  Double topP;
  @Option(names = "--min-p", description = "min-p sampling's threshold: tokens at least this"
      + " share of the likeliest token's probability are drawn from (0.001 to 1).")
  Double minP;
  @Option(names = "--temperature")
  Double temperature;
  @Option(names = "--remasking-temperature", description = "Gumbel noise on the confidences"
      + " that low-confidence remasking ranks, annealed to 0 (MaskGIT); 0: none.")
  Double remaskingTemperature;
  @Option(names = "--remdm-loop", description = "remdm: share of the steps spent re-masking"
      + " and rewriting the least sure tokens (default 0.25).")
  Double remdmLoop;
  @Option(names = "--remdm-eta", description = "remdm: share of the written tokens re-masked"
      + " per loop step (default 0.04).")
  Double remdmEta;
  @Option(names = "--confidence", description = "low-confidence: rank blanks by the"
      + " probability of their most likely token (top, the default) or of the token drawn there"
      + " (drawn: LLaDA's rule, which turns near-even odds into one choice for every sample).")
  String confidence;
  @Option(names = "--blocks", description = "low-confidence: fill the text in this many blocks,"
      + " left to right (LLaDA's semi-autoregressive remasking; default 1, the whole text).")
  Integer blocks;
  @Option(names = "--solver", description = "CDCD: euler, heun (a second model call per"
      + " step, second-order: Karras et al. 2022) or ancestral (posterior steps with fresh noise).")
  String solver;
  @Option(names = "--guidance", description = "Latent diffusion on pairs: classifier-free"
      + " guidance weight (1: the conditional model as trained, 0: no prompt, above 1: guided).")
  Double guidance;
  @Option(names = "--eta", description = "Latent diffusion: DDIM's η (0: deterministic, the"
      + " default; 1: DDPM's fresh noise at every step).")
  Double eta;
  @Option(names = "--noise-temperature", description = "Latent diffusion: scale of the noise"
      + " DDIM starts from and adds (1: the model's distribution, the default; below 1: nearer"
      + " its commonest latents, surer and less varied).")
  Double noiseTemperature;
  @Option(names = "--remdm-decode", description = "remdm: how blanks are revealed before the"
      + " loop: ancestral (default) or low-confidence.")
  String remdmDecode;

  /**
   * The most samples one command draws: every sample is kept with its whole trace, so a much
   * larger number runs out of memory instead of producing anything.
   */
  static final int MAX_SAMPLES = 10_000;
  static final int MAX_STEPS = 100_000;
  /** Far past where sampling is uniform noise; Infinity would divide the logits to zero. */
  static final double MAX_TEMPERATURE = 100;

  /**
   * The checkpoint config {@code c}'s sampler with the given options applied; an option its
   * family does not read (guidance for a model that learned no prompt-free responses) is named
   * in a note on {@code err}, not silently dropped.
   */
  SamplerConfig apply(dev.diffulab.core.config.RunConfig c, java.io.PrintWriter err) {
    if (guidance != null && !(c.method().guidesByPrompt() && c.data().isPairs())) {
      err.println("note: --guidance applies to a latent model trained on prompt → response"
          + " pairs; this " + c.method().id() + " model" + (c.data().isPairs()
              ? ""
              : " of"
                  + " unconditional text")
          + " samples without it");
      err.flush();
    }
    java.util.List<String> ddim = new java.util.ArrayList<>();
    if (eta != null) {
      ddim.add("--eta");
    }
    if (noiseTemperature != null) {
      ddim.add("--noise-temperature");
    }
    if (!ddim.isEmpty() && !c.method().samplesByDdim()) {
      err.println("note: " + String.join(" and ", ddim)
          + (ddim.size() == 1 ? " applies" : " apply")
          + " to latent diffusion's DDIM sampler; this " + c.method().id()
          + " model samples without " + (ddim.size() == 1 ? "it" : "them"));
      err.flush();
    }
    return apply(c.sampler(), c.model().seqLen());
  }

  /** The sampler settings {@code c} with the given options applied, checked against its length. */
  SamplerConfig apply(SamplerConfig c, int seqLen) {
    if (length != null && (length < 0 || length > seqLen)) {
      throw new InputException("--length must be between 0 and " + seqLen + ", got " + length);
    }
    if (steps != null && (steps < 1 || steps > MAX_STEPS)) {
      throw new InputException("--steps must be between 1 and " + MAX_STEPS + ", got "
          + steps);
    }
    if (numSamples != null && (numSamples < 1 || numSamples > MAX_SAMPLES)) {
      throw new InputException("--num-samples must be between 1 and " + MAX_SAMPLES
          + ", got " + numSamples + " (draw larger sets in several runs with other --seed)");
    }
    if (temperature != null && !(temperature > 0 && temperature <= MAX_TEMPERATURE)) {
      throw new InputException("--temperature must be above 0 and at most " + MAX_TEMPERATURE
          + ", got " + temperature);
    }
    if (remaskingTemperature != null && !(remaskingTemperature >= 0
        && remaskingTemperature <= 100)) {
      throw new InputException("--remasking-temperature must be in [0, 100], got "
          + remaskingTemperature);
    }
    if (topP != null && !(topP > 0 && topP <= 1)) {
      throw new InputException("--top-p must be in (0, 1], got " + topP);
    }
    if (topK != null && topK < 1) {
      throw new InputException("--top-k must be at least 1, got " + topK);
    }
    if (remdmLoop != null && !(remdmLoop >= 0 && remdmLoop <= 0.9)) {
      throw new InputException("--remdm-loop must be in [0, 0.9], got " + remdmLoop);
    }
    if (remdmEta != null && !(remdmEta >= 1e-4 && remdmEta <= 0.5)) {
      throw new InputException("--remdm-eta must be in [0.0001, 0.5], got " + remdmEta);
    }
    SamplerConfig base = remaskingTemperature != null
        ? c.withRemaskingTemperature(remaskingTemperature)
        : c;
    SamplerConfig.Remasking decode = c.remdmDecode();
    if (remdmDecode != null) {
      decode = ConfigName.parse(SamplerConfig.Remasking.class, "--remdm-decode", remdmDecode);
      if (decode != SamplerConfig.Remasking.ANCESTRAL
          && decode != SamplerConfig.Remasking.LOW_CONFIDENCE) {
        throw new InputException("--remdm-decode must be ancestral or low-confidence, got "
            + remdmDecode);
      }
    }
    if (guidance != null) {
      base = base.withGuidance(SamplerConfig.GUIDANCE.check("--guidance", guidance));
    }
    if (eta != null) {
      base = base.withEta(SamplerConfig.ETA.check("--eta", eta));
    }
    if (minP != null) {
      base = base.withMinP(SamplerConfig.MIN_P.check("--min-p", minP));
    }
    if (noiseTemperature != null) {
      base = base.withNoiseTemperature(
          SamplerConfig.NOISE_TEMPERATURE.check("--noise-temperature", noiseTemperature));
    }
    if (solver != null) {
      base = base.withSolver(ConfigName.parse(SamplerConfig.Solver.class, "--solver", solver));
    }
    base = base.withRemdm(remdmLoop != null ? remdmLoop : c.remdmLoop(),
        remdmEta != null ? remdmEta : c.remdmEta(), decode);
    if (confidence != null) {
      base = base.withConfidence(ConfigName.parse(SamplerConfig.Confidence.class,
          "--confidence", confidence));
    }
    if (blocks != null) {
      if (blocks < 1 || blocks > seqLen) {
        throw new InputException("--blocks must be in [1, " + seqLen + "], got " + blocks);
      }
      base = base.withBlocks(blocks);
    }
    return base.with(steps != null ? steps : c.steps(),
        schedule != null
            ? ConfigName.parse(MaskSchedule.class, "--schedule", schedule)
            : c.schedule(),
        remasking != null
            ? ConfigName.parse(SamplerConfig.Remasking.class, "--remasking",
                remasking)
            : c.remasking(),
        sampling != null
            ? ConfigName.parse(SamplerConfig.TokenChoice.class, "--sampling",
                sampling)
            : c.tokenChoice(),
        topK != null ? topK : c.topK(), topP != null ? topP : c.topP(),
        temperature != null ? temperature : c.temperature(), length != null ? length : c.length(),
        numSamples != null ? numSamples : c.numSamples());
  }
}
