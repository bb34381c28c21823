package dev.diffulab.engine.method;

import dev.diffulab.core.cdcd.TimeWarp;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.EntropyCurve;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.engine.cdcd.CdcdDenoiser;
import dev.diffulab.engine.cdcd.CdcdSampler;
import dev.diffulab.engine.cdcd.CdcdTrainer;
import dev.diffulab.engine.cdcd.TimeWarpFile;
import dev.diffulab.engine.checkpoint.Checkpoint;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * CDCD inside a training run: σ from the time warp, the entropy-versus-time stream, held-out
 * cross-entropy at both ends of the σ range, and Euler samples on the warped grid.
 */
final class CdcdFamily extends RunFamily {
  /** The run's model with this family's block type. */
  private final DenoiserModel<CdcdDenoiser> cdcd;
  /** Recent (σ, cross-entropy, step) points kept for the chart. */
  static final int RECENT = 3000;

  private final CdcdTrainer trainer;
  private final double[] sigma = new double[RECENT];
  private final double[] ce = new double[RECENT];
  private final int[] pointStep = new int[RECENT];
  private int points;
  private int step;
  /** Whether the held-out gap at σ_min was already reported in this run. */
  private boolean gapReported;
  private static final java.util.logging.Logger LOG = java.util.logging.Logger
      .getLogger(CdcdFamily.class.getName());

  CdcdFamily(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths) {
    super(ctx, runId, config, model, tok, corpus, validation, lengths);
    this.cdcd = model.as(CdcdDenoiser.class);
    this.trainer = new CdcdTrainer(config, cdcd);
    this.promptEnd = dev.diffulab.engine.data.PairRows.promptEnd(config, tok);
  }

  /** The separator that ends a pair's prompt, or −1 for plain text. */
  private final int promptEnd;

  @Override
  public void restore(Checkpoint.Contents c) {
    var f = c.dir().resolve(TimeWarpFile.NAME);
    if (Files.isRegularFile(f)) {
      TimeWarpFile.restore(trainer.warp(), f);
    }
    step = c.manifest().step();
    trainer.resumeAfter(step);
  }

  @Override
  public dev.diffulab.core.checkpoint.ModelExtras extras() {
    return trainer.warp();
  }

  @Override
  public Outcome step(dev.diffulab.core.data.TrainBatch batch, Random random, double lr) {
    step++;
    int[][] segment = batch.segment();
    int[][] positions = batch.positions();
    float[][] given = new float[batch.size()][];
    int[][] tokens = batch.tokens();
    // a pair's prompt (to its separator) is given whole, its embeddings never noised (DoT's
    // partial noising)
    boolean[][] prompt = dev.diffulab.core.pairs.PairTokens.prompts(tokens, segment, promptEnd);
    for (int b = 0; b < batch.size(); b++) {
      given[b] = dev.diffulab.core.cdcd.GivenPositions.draw(segment[b], positions[b], prompt[b],
          config.masking()::drawPrefix, config.cdcd().givenFraction(), random);
    }
    CdcdTrainer.Step s = trainer.step(batch, given, lr, random);
    lastSigma = s.sigma();
    for (int b = 0; b < s.sigma().length; b++) {
      int at = points++ % RECENT;
      sigma[at] = s.sigma()[b];
      ce[at] = s.crossEntropy()[b];
      pointStep[at] = step;
    }
    return new Outcome(s.loss(), s.gradNorm(), s.tokens(), s.positions());
  }

  private float[] lastSigma = new float[0];

  @Override
  public String lastNoise() {
    return "σ of its documents " + Arrays.toString(lastSigma);
  }

  @Override
  public void publishCurve(int at) {
    int n = Math.min(points, RECENT);
    TimeWarp warp = trainer.warp();
    ctx.publish(new EntropyCurve(runId, at, Arrays.copyOf(sigma, n), Arrays.copyOf(ce, n),
        Arrays.copyOf(pointStep, n), warp.knots(), corpus.stats().unigramEntropyNats(),
        warp.fitted() ? warp.grid(config.sampler().steps() + 1) : new double[0]));
  }

  @Override
  public void evaluate(int at, Map<String, Double> metrics) {
    if (validation.isEmpty()) {
      return;
    }
    double low = validationCe(config.cdcd().sigmaMin());
    double high = validationCe(config.cdcd().sigmaMax());
    metrics.put("val_ce_sigma_min", low);
    metrics.put("val_ce_sigma_max", high);
    TimeWarp warp = trainer.warp();
    if (warp.fitted()) {
      double fitted = warp.at(config.cdcd().sigmaMin());
      metrics.put("ce_sigma_min", fitted);
      metrics.put("ce_sigma_max", warp.at(config.cdcd().sigmaMax()));
      String gap = TimeWarp.heldOutGap(config.cdcd().sigmaMin(), fitted, low);
      if (gap != null && !gapReported) {
        gapReported = true;
        LOG.warning("step " + at + ": " + gap);
      }
    }
    ctx.publish(
        new EvalPoint(runId, at, new EvalPoint.CrossEntropy("cross-entropy at sigma_min", low)));
    if (corpus.isPairs()) {
      answerPreview(at, metrics);
    }
  }

  /** Mean cross-entropy of the validation sequences, all noised at one σ (seeded). */
  double validationCe(double s) {
    return dev.diffulab.engine.cdcd.CdcdEvaluation.crossEntropyAt(cdcd, tok, validation, s);
  }

  @Override
  public void preview(int at) {
    if (corpus.isPairs()) {
      if (!evaluatedAt(at)) {
        answerPreview(at, null);
      }
      return;
    }
    TimeWarp warp = trainer.warp();
    var traces = CdcdSampler.sample(cdcd, tok, config.sampler(),
        warp.grid(config.sampler().steps() + 1), previewLengths(config, lengths, at),
        new int[0], config.seed() + at, ctx);
    ctx.publish(preview(at, traces));
  }

  @Override
  public AdamW optimizer() {
    return trainer.optimizer();
  }

  @Override
  public Map<String, String> checkpointFiles() {
    return Map.of(TimeWarpFile.NAME, TimeWarpFile.write(trainer.warp(), config));
  }

  @Override
  public void close() {
    trainer.close();
  }
}
