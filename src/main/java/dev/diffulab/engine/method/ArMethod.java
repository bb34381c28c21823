package dev.diffulab.engine.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.config.SamplerConfig.TokenChoice;
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.engine.ar.ArSampler;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.data.PairRows;
import dev.diffulab.engine.masked.MaskPreview;
import dev.diffulab.engine.masked.MaskedObjective;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import dev.diffulab.engine.model.TokenDraws;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The autoregressive baseline as a method beside the diffusion families: the masked family's
 * transformer, same size and tokenizer, as a causal decoder; trained by teacher forcing on the
 * response; written left to right. It learns prompt → response pairs (a built-in task or
 * {@code data.pairs}); it has no noise, so its "curve" is empty and its Noising view shows what it
 * would write at each hidden position from the tokens before it.
 */
public final class ArMethod implements DiffusionMethod {
  static final ArMethod INSTANCE = new ArMethod();

  private ArMethod() {
  }

  @Override
  public Method id() {
    return Method.AUTOREGRESSIVE;
  }

  @Override
  public String defaultSweep() {
    return "temperature=0.7,1;top_p=0.9,1";
  }

  @Override
  public DenoiserModel<?> buildModel(RunConfig config, TextTokenizer tok, NDManager parent) {
    if (!config.data().isPairs()) {
      throw new dev.diffulab.core.InputException("method autoregressive learns prompt →"
          + " response pairs: set data.pairs with a pair corpus, or a built-in task such as"
          + " multiplication-4x4 as data.corpus");
    }
    return DenoiserModel.causal(config.model(), tok.vocabSize(), PairRows.forbidden(config, tok),
        parent, config.seed());
  }

  @Override
  public dev.diffulab.core.checkpoint.ModelExtras restoreExtras(RunConfig config, Path dir) {
    return dev.diffulab.core.checkpoint.ModelExtras.NONE;
  }

  @Override
  public Family training(EngineContext ctx, String runId, RunConfig config,
      DenoiserModel<?> model, TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation,
      int[] lengths) {
    return new ArFamily(ctx, runId, config, model, tok, corpus, validation, lengths);
  }

  @Override
  public List<DenoiseTrace> sample(LoadedModel lm, SamplerConfig s, int[] lengths, int[] prompt,
      long seed, EngineContext ctx, BiConsumer<Integer, Integer> progress) {
    int length = java.util.Arrays.stream(lengths).max().orElse(lm.config().model().seqLen());
    int[][] prompts = new int[lengths.length][];
    java.util.Arrays.fill(prompts, prompt);
    return ArSampler.sample(typed(lm), lm.tokenizer(), s, length, prompts,
        PairRows.promptEnd(lm.config(), lm.tokenizer()), seed, ctx, progress);
  }

  @Override
  public List<DenoiseTrace> answer(LoadedModel lm, SamplerConfig s, List<int[]> prompts,
      int length, long seed, EngineContext ctx) {
    return ArSampler.sample(typed(lm), lm.tokenizer(), s, length, prompts.toArray(new int[0][]),
        PairRows.promptEnd(lm.config(), lm.tokenizer()), seed, ctx, null);
  }

  /**
   * What the decoder would write at each hidden position, reading the true tokens before it
   * (teacher forcing); the first position, with nothing before it, is not predicted.
   */
  @Override
  public MaskPrediction predict(LoadedModel lm, MaskRequest r) {
    var tok = lm.tokenizer();
    int len = Math.min(r.ids().length, lm.config().model().seqLen());
    int[][] input = {java.util.Arrays.copyOf(r.ids(), len)};
    float[][] keep = new float[1][len];
    java.util.Arrays.fill(keep[0], 1f);
    int count = 0;
    for (int i = 1; i < len; i++) {
      count += r.masked()[i] ? 1 : 0;
    }
    int[] positions = new int[count];
    int[] before = new int[count];
    for (int i = 1, k = 0; i < len; i++) {
      if (r.masked()[i]) {
        positions[k] = i;
        before[k++] = i - 1;
      }
    }
    TokenDraws.Summary s = null;
    if (count > 0) {
      DenoiserModel<Denoiser> model = typed(lm);
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray h = model.block().hidden(model.store(), m, input, keep, false); // (1, L, D)
        NDArray logits = model.head().project(model.store(), TokenCrossEntropy.pick(h, before),
            false); // (M, V)
        s = TokenDraws.summarise(logits, new TokenDraws.Rule(TokenChoice.GREEDY, 1, 1, 1),
            new int[0], new double[0]);
      }
    }
    return MaskPreview.fromTop(r.requestId(), r.level(), r.seed(), r.masked(), positions, s,
        r.ids(), tok, null);
  }

  /** No noise levels: an empty curve. */
  @Override
  public double[][] curve(LoadedModel lm, List<int[]> sequences) {
    return new double[][]{new double[0], new double[0]};
  }

  /** The held-out teacher-forced cross-entropy of the responses, in nats a token. */
  @Override
  public void evaluate(LoadedModel lm, List<int[]> val, long seed, Map<String, Object> r) {
    var tok = lm.tokenizer();
    DenoiserModel<Denoiser> model = typed(lm);
    var batch = dev.diffulab.core.data.TrainBatch.unpacked(val.toArray(new int[0][]),
        tok.padId());
    var shifted = dev.diffulab.engine.ar.TeacherForcing.shifted(batch,
        PairRows.promptEnd(lm.config(), tok),
        PairRows.forbidden(lm.config(), tok), tok.padId());
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      MaskedObjective.Result res = MaskedObjective.compute(model, m, shifted,
          dev.diffulab.core.config.MaskingConfig.Weighting.NONE, false);
      r.put("val_response_ce_nats", (double) res.loss().getFloat());
    }
  }

  private static DenoiserModel<Denoiser> typed(LoadedModel lm) {
    return lm.model().as(Denoiser.class);
  }
}
