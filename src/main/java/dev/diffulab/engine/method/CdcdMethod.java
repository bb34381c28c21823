package dev.diffulab.engine.method;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.InputException;
import dev.diffulab.core.cdcd.TimeWarp;
import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.engine.cdcd.CdcdDenoiser;
import dev.diffulab.engine.cdcd.CdcdEvaluation;
import dev.diffulab.engine.cdcd.CdcdPreview;
import dev.diffulab.engine.cdcd.CdcdSampler;
import dev.diffulab.engine.cdcd.TimeWarpFile;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * CDCD: Gaussian noise on normalised embeddings, score interpolation, a time warp fitted to the
 * entropy-versus-σ curve — which the checkpoint carries and sampling needs.
 */
public final class CdcdMethod implements DiffusionMethod {
  static final CdcdMethod INSTANCE = new CdcdMethod();

  private CdcdMethod() {
  }

  /**
   * Sweeps the solver (Euler's deterministic steps against ancestral ones with fresh noise), the
   * score temperature and the number of steps.
   */
  @Override
  public String defaultSweep() {
    return "solver=euler,ancestral;temperature=0.7,0.85,1;steps=50,200";
  }

  @Override
  public Method id() {
    return Method.CDCD;
  }

  @Override
  public DenoiserModel<?> buildModel(RunConfig config, TextTokenizer tok, NDManager parent) {
    return CdcdDenoiser.model(config.model(), config.cdcd(), tok.vocabSize(),
        dev.diffulab.engine.data.PairRows.forbidden(config, tok), parent, config.seed());
  }

  @Override
  public TimeWarp restoreExtras(RunConfig config, Path dir) {
    TimeWarp warp = TimeWarp.of(config.cdcd());
    Path f = dir.resolve(TimeWarpFile.NAME);
    if (!Files.isRegularFile(f)) {
      // sampling without the fitted warp would look like a badly trained model
      throw new InputException("checkpoint " + dir + " is a CDCD model without "
          + TimeWarpFile.NAME + " (its fitted time warp, which sampling needs); copy the whole"
          + " checkpoint folder");
    }
    TimeWarpFile.restore(warp, f);
    return warp;
  }

  @Override
  public Family training(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths) {
    return new CdcdFamily(ctx, runId, config, model, tok, corpus, validation, lengths);
  }

  @Override
  public List<DenoiseTrace> sample(LoadedModel lm, SamplerConfig s, int[] lengths, int[] prompt,
      long seed, EngineContext ctx, BiConsumer<Integer, Integer> progress) {
    return CdcdSampler.sample(typed(lm), lm.tokenizer(), s, warp(lm).grid(s.steps() + 1),
        lengths, prompt, seed, ctx, progress);
  }

  @Override
  public MaskPrediction predict(LoadedModel lm, MaskRequest r) {
    return CdcdPreview.predict(typed(lm), lm.tokenizer(), lm.config().model().seqLen(),
        r.requestId(), r.ids(), r.prefix(), r.level(), r.seed());
  }

  @Override
  public double[][] curve(LoadedModel lm, List<int[]> sequences) {
    var c = lm.config().cdcd();
    double[] x = new double[10];
    double[] y = new double[10];
    for (int i = 0; i < 10; i++) {
      x[i] = Math.exp(Math.log(c.sigmaMin()) + i / 9.0
          * (Math.log(c.sigmaMax()) - Math.log(c.sigmaMin())));
      y[i] = CdcdEvaluation.crossEntropyAt(typed(lm), lm.tokenizer(), sequences, x[i]);
    }
    return new double[][]{x, y};
  }

  @Override
  public double[] samplingGrid(LoadedModel lm, int steps) {
    TimeWarp warp = warp(lm);
    return warp == null || !warp.fitted() ? new double[0] : warp.grid(steps + 1);
  }

  @Override
  public void evaluate(LoadedModel lm, List<int[]> val, long seed, Map<String, Object> r) {
    var c = lm.config().cdcd();
    var tok = lm.tokenizer();
    r.put("val_ce_sigma_min", CdcdEvaluation.crossEntropyAt(typed(lm), tok, val, c.sigmaMin()));
    r.put("val_ce_sigma_max", CdcdEvaluation.crossEntropyAt(typed(lm), tok, val, c.sigmaMax()));
    TimeWarp warp = warp(lm);
    if (warp.fitted()) {
      r.put("ce_sigma_min", warp.at(c.sigmaMin()));
      r.put("ce_sigma_max", warp.at(c.sigmaMax()));
    }
    r.put("warp_fit", c.warpFit().id());
    r.put("warp_knots", warp.knots());
    if (warp.cauchyParameters() != null) {
      r.put("cauchy_h_mu_s_c", warp.cauchyParameters());
    }
  }

  /** The time warp this family keeps beside the parameters of {@code lm}; null for none. */
  private static TimeWarp warp(LoadedModel lm) {
    return lm.extras() instanceof TimeWarp w ? w : null;
  }

  /** The model of {@code lm}, which this family built, with its own block type. */
  private static DenoiserModel<CdcdDenoiser> typed(LoadedModel lm) {
    return lm.model().as(CdcdDenoiser.class);
  }
}
