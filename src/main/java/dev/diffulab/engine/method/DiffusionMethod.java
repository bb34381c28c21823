package dev.diffulab.engine.method;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One diffusion family, end to end: the model it builds on the shared transformer, how it trains
 * inside a run (objective, the per-noise-level curve it publishes, its checkpoint extras), how it
 * samples, what the Masking workspace shows of it, and what {@code evaluate} measures. The
 * trainer, evaluator, checkpoint loader, workbench and views dispatch through it and never ask
 * which family they hold; adding a family is one more implementation (and its views).
 */
public sealed interface DiffusionMethod permits MaskedMethod, CdcdMethod, ArMethod,
    AutoencoderMethod, LatentMethod {

  /** The implementation of a config's {@code method}. */
  static DiffusionMethod of(Method method) {
    return switch (method) {
      case MASKED -> MaskedMethod.INSTANCE;
      case CDCD -> CdcdMethod.INSTANCE;
      case AUTOREGRESSIVE -> ArMethod.INSTANCE;
      case AUTOENCODER -> AutoencoderMethod.INSTANCE;
      case LATENT -> LatentMethod.INSTANCE;
    };
  }

  Method id();

  /**
   * The sampler settings that trade quality for diversity in this family, as a sweep grid
   * ({@code key=v1,v2;...}): what {@code evaluate --sweep} tries when not told.
   */
  String defaultSweep();

  /** A fresh model for {@code config} with its parameters initialised from the config's seed. */
  DenoiserModel<?> buildModel(RunConfig config, TextTokenizer tok, NDManager parent);

  /**
   * Reads what a checkpoint directory carries besides parameters, tokenizer and config (CDCD:
   * the fitted time warp, refusing a checkpoint without it); null when the method keeps
   * nothing more.
   */
  dev.diffulab.core.checkpoint.ModelExtras restoreExtras(RunConfig config, Path dir);

  /** The method inside a training run: its steps, curves, evaluations, previews and extras. */
  Family training(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths);

  /** Samples {@code lengths.length} texts, reporting (step, steps) when progress is given. */
  List<DenoiseTrace> sample(LoadedModel lm, SamplerConfig s, int[] lengths, int[] prompt,
      long seed, EngineContext ctx, BiConsumer<Integer, Integer> progress);

  /**
   * Answers: sample {@code b} fills a canvas of {@code length} tokens after its own prompt
   * {@code prompts.get(b)} (a pair row's prompt and separator, never changed). This way samples
   * them one prompt at a time; a family that can batch different prompts does so.
   */
  default List<DenoiseTrace> answer(LoadedModel lm, SamplerConfig s, List<int[]> prompts,
      int length, long seed, EngineContext ctx) {
    List<DenoiseTrace> out = new java.util.ArrayList<>();
    for (int b = 0; b < prompts.size(); b++) {
      out.addAll(sample(lm, s, new int[]{length}, prompts.get(b), seed * 1_000_003L + b, ctx,
          null));
    }
    return out;
  }

  /**
   * What the model makes of a text noised at one level: masked diffusion blanks the positions
   * {@code request.masked()} marks; CDCD noises everything after the prompt at σ = level.
   */
  MaskPrediction predict(LoadedModel lm, MaskRequest request);

  /**
   * The model's loss across noise levels on held-out sequences: cross-entropy at ten mask ratios
   * (masked) or at ten σ spread log-evenly over the range (CDCD); {x, y}.
   */
  double[][] curve(LoadedModel lm, List<int[]> sequences);

  /** The noise levels a sampler walks (CDCD's warped σ grid), or none. */
  default double[] samplingGrid(LoadedModel lm, int steps) {
    return new double[0];
  }

  /** Adds the method's held-out measurements to an {@code evaluate} report. */
  void evaluate(LoadedModel lm, List<int[]> validation, long seed, Map<String, Object> report);
}
