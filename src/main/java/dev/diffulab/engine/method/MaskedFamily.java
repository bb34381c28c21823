package dev.diffulab.engine.method;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.core.snapshot.NoiseLevelLosses;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.masked.MaskedEvaluation;
import dev.diffulab.engine.masked.MaskedSampler;
import dev.diffulab.engine.masked.MaskedTrainer;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Masked diffusion inside a training run: corrupt, step, per-ratio losses, NELBO, samples. */
final class MaskedFamily extends RunFamily {
  /** The run's model with this family's block type. */
  private final DenoiserModel<Denoiser> masked;
  private final MaskedTrainer trainer;
  private final MaskingPolicy policy;
  private final RatioBuckets buckets = new RatioBuckets();

  MaskedFamily(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths) {
    super(ctx, runId, config, model, tok, corpus, validation, lengths);
    this.masked = model.as(Denoiser.class);
    this.trainer = new MaskedTrainer(config, masked);
    this.policy = new MaskingPolicy(config.masking(), tok.padId(), tok.maskId(),
        dev.diffulab.engine.data.PairRows.forbidden(config, tok),
        dev.diffulab.engine.data.PairRows.promptEnd(config, tok));
  }

  @Override
  public Outcome step(dev.diffulab.core.data.TrainBatch batch, Random random, double lr) {
    dev.diffulab.core.masking.MaskedBatch corrupted = policy.corrupt(batch, random);
    double own = config.masking().scheduledSampling();
    if (own > 0 && random.nextDouble() < own) {
      corrupted = dev.diffulab.engine.masked.ScheduledSampling.withOwnGuesses(masked, corrupted,
          random);
    }
    MaskedTrainer.Step s = trainer.step(corrupted, lr);
    buckets.add(s.ratio(), s.maskedMeanNll());
    lastRatio = s.ratio();
    return new Outcome(s.loss(), s.gradNorm(), s.tokens(), s.positions());
  }

  private float[] lastRatio = new float[0];

  @Override
  public String lastNoise() {
    return "mask ratios of its documents " + java.util.Arrays.toString(lastRatio);
  }

  @Override
  public void publishCurve(int step) {
    ctx.publish(new NoiseLevelLosses(runId, step, RatioBuckets.LEVELS, buckets.values()));
  }

  @Override
  public void evaluate(int step, Map<String, Double> metrics) {
    if (validation.isEmpty()) {
      return;
    }
    if (corpus.isPairs()) {
      // a pair run is measured by its answers; `evaluate` adds the response's bound
      answerPreview(step, metrics);
      return;
    }
    MaskedEvaluation.Bound b = MaskedEvaluation.bound(masked, validation, tok.padId(),
        tok.maskId(), 1234);
    metrics.put("val_nelbo_bits_per_token", b.bitsPerToken());
    metrics.put("val_masked_ce_nats", b.maskedCe());
    ctx.publish(new EvalPoint(runId, step, new EvalPoint.Bound(b.bitsPerToken(),
        b.pplBound(), b.maskedCe())));
  }

  @Override
  public void preview(int step) {
    if (corpus.isPairs()) {
      if (!evaluatedAt(step)) {
        answerPreview(step, null);
      }
      return;
    }
    var traces = MaskedSampler.sample(masked, tok, config.sampler(),
        previewLengths(config, lengths, step), new int[0], config.seed() + step, ctx,
        null);
    ctx.publish(preview(step, traces));
  }

  @Override
  public AdamW optimizer() {
    return trainer.optimizer();
  }

  @Override
  public void close() {
    trainer.close();
  }
}
