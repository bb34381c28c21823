package dev.diffulab.engine.method;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.data.PairRows;
import dev.diffulab.engine.masked.MaskPreview;
import dev.diffulab.engine.masked.MaskedEvaluation;
import dev.diffulab.engine.masked.MaskedSampler;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Masked (absorbing) diffusion: [MASK] as noise, iterative unmasking as sampling. */
public final class MaskedMethod implements DiffusionMethod {
  static final MaskedMethod INSTANCE = new MaskedMethod();

  private MaskedMethod() {
  }

  /** Sweeps token temperature and nucleus, and which blanks are revealed (surest first, or at random). */
  @Override
  public String defaultSweep() {
    return "temperature=0.8,1;top_p=0.9,1;remasking=low-confidence,random";
  }

  @Override
  public Method id() {
    return Method.MASKED;
  }

  @Override
  public DenoiserModel<?> buildModel(RunConfig config, TextTokenizer tok, NDManager parent) {
    return DenoiserModel.masked(config.model(), tok.vocabSize(),
        dev.diffulab.engine.data.PairRows.forbidden(config, tok), parent, config.seed());
  }

  @Override
  public dev.diffulab.core.checkpoint.ModelExtras restoreExtras(RunConfig config, Path dir) {
    return dev.diffulab.core.checkpoint.ModelExtras.NONE;
  }

  @Override
  public Family training(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths) {
    return new MaskedFamily(ctx, runId, config, model, tok, corpus, validation, lengths);
  }

  @Override
  public List<DenoiseTrace> sample(LoadedModel lm, SamplerConfig s, int[] lengths, int[] prompt,
      long seed, EngineContext ctx, BiConsumer<Integer, Integer> progress) {
    return MaskedSampler.sample(typed(lm), lm.tokenizer(), s, lengths, prompt, seed, ctx,
        progress);
  }

  @Override
  public List<DenoiseTrace> answer(LoadedModel lm, SamplerConfig s, List<int[]> prompts,
      int length, long seed, EngineContext ctx) {
    int[] lengths = new int[prompts.size()];
    java.util.Arrays.fill(lengths, length);
    return MaskedSampler.sample(typed(lm), lm.tokenizer(), s, lengths,
        prompts.toArray(new int[0][]), seed, ctx, null, true);
  }

  @Override
  public MaskPrediction predict(LoadedModel lm, MaskRequest r) {
    return MaskPreview.predict(typed(lm), lm.tokenizer(), lm.config().model().seqLen(),
        r.requestId(), r.ids(), r.masked(), r.level(), r.seed());
  }

  @Override
  public double[][] curve(LoadedModel lm, List<int[]> sequences) {
    double[] x = RatioBuckets.LEVELS.clone();
    double[] y = MaskedEvaluation.lossByRatio(typed(lm), sequences, lm.tokenizer().padId(),
        lm.tokenizer().maskId(), PairRows.promptEnd(lm.config(), lm.tokenizer()), x, 11);
    return new double[][]{x, y};
  }

  @Override
  public void evaluate(LoadedModel lm, List<int[]> val, long seed, Map<String, Object> r) {
    var tok = lm.tokenizer();
    // a pair model's prompt is given, as in training: the bound is the response's, per token
    int promptEnd = PairRows.promptEnd(lm.config(), tok);
    MaskedEvaluation.Bound b = MaskedEvaluation.bound(typed(lm), val, tok.padId(),
        tok.maskId(), promptEnd, seed);
    r.put("nelbo_bits_per_token", b.bitsPerToken());
    r.put("ppl_bound", b.pplBound());
    r.put("val_masked_ce_nats", b.maskedCe());
    r.put("loss_by_ratio", MaskedEvaluation.lossByRatio(typed(lm), val, tok.padId(),
        tok.maskId(), promptEnd, RatioBuckets.LEVELS, seed));
  }

  /** The model of {@code lm}, which this family built, with its own block type. */
  private static DenoiserModel<Denoiser> typed(LoadedModel lm) {
    return lm.model().as(Denoiser.class);
  }
}
