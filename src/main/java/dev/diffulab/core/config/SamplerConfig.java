package dev.diffulab.core.config;

import dev.diffulab.core.schedule.MaskSchedule;

/**
 * Default settings of the sampler: {@code steps} denoising steps over a canvas of {@code length}
 * tokens ({@code 0}: each sample's length is drawn from the training corpus's story lengths, so
 * the model writes whole stories that end where stories end). Masked diffusion uses the schedule, remasking rule and token choice; CDCD uses the solver;
 * both use the temperature. {@code remaskingTemperature} adds MaskGIT's Gumbel noise to the
 * confidences that {@code low-confidence} remasking ranks (Chang et al. 2022), annealed to zero
 * over the steps: 0 ranks by confidence alone.
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
    double remaskingTemperature) {

  /** Which positions stay masked after a step (masked diffusion). */
  public enum Remasking implements ConfigName {
    /** RoBERTa-diffusion: a random subset of the predictions is kept. */
    RANDOM("random"),
    /** LLaDA / MaskGIT: the most confident predictions are kept, the rest re-masked. */
    LOW_CONFIDENCE("low-confidence"),
    /** MDLM: each masked token is revealed with probability (t_s − t_{s−1}) / t_s. */
    ANCESTRAL("ancestral");

    private final String id;

    Remasking(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** How a token is drawn from the model's distribution at a position. */
  public enum TokenChoice implements ConfigName {
    GREEDY("greedy"), TOP_K("top-k"), NUCLEUS("nucleus");

    private final String id;

    TokenChoice(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }
  }

  /** ODE solver of the CDCD sampler. */
  public enum Solver implements ConfigName {
    EULER("euler"), HEUN("heun");

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
        newTemperature, solver, newLength, newNumSamples, remaskingTemperature);
  }

  public SamplerConfig withSolver(Solver newSolver) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        newSolver, length, numSamples, remaskingTemperature);
  }

  /** The same settings with MaskGIT's confidence noise at temperature {@code t}. */
  public SamplerConfig withRemaskingTemperature(double t) {
    return new SamplerConfig(steps, schedule, remasking, tokenChoice, topK, topP, temperature,
        solver, length, numSamples, t);
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
        f.number("remasking_temperature", 0.0, 0.0, 100.0));
    f.finish();
    return c;
  }
}
