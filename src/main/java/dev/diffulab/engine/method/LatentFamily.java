package dev.diffulab.engine.method;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.core.schedule.LearningRate;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.core.snapshot.NoiseLevelLosses;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.latent.AutoencoderTrainer;
import dev.diffulab.engine.latent.LatentDiffusion;
import dev.diffulab.engine.latent.LatentDiffusionTrainer;
import dev.diffulab.engine.latent.TextAutoencoder;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Latent text diffusion inside a training run, in PLANNER's two stages: for the first
 * {@code autoencoder.first_steps} steps the autoencoder learns to write each text back from its
 * k latent vectors (evaluated by reconstruction, as the autoencoder family); then it is frozen,
 * the latents' scale is measured on training texts, and the denoiser learns Gaussian diffusion
 * over them (its loss by noise level the live curve, its previews stories sampled by DDIM and
 * decoded, graded by the validator on TinyTales). Each stage has its own optimizer; a
 * checkpoint holds the one of the stage it was written in.
 *
 * <p>On prompt → response pairs it is CodeFusion's encoder–diffusion–decoder: the autoencoder
 * learns the responses alone (the first stage, on target texts only), then the denoiser and the
 * prompt's encoder learn together on the pairs, the prompt dropped for a share of rows; held-out
 * prompts are answered and graded live.
 */
final class LatentFamily extends RunFamily {
  /** Steps over which the denoiser's learning rate rises after the switch. */
  static final int STAGE_WARMUP = 200;

  private final DenoiserModel<LatentDiffusion> whole;
  private final DenoiserModel<TextAutoencoder> autoencoder;
  private final AutoencoderTrainer first;
  private final LatentDiffusionTrainer second;
  /** The step the autoencoder's stage ends at. */
  private int firstSteps;
  private final RatioBuckets buckets = new RatioBuckets();
  /** The steps taken, this run's and the checkpoint's it resumed. */
  private int taken;
  private boolean scaled;
  private float lastLoss = Float.NaN;
  /** Whether the run learns pairs: the denoiser reads each prompt. */
  private final boolean pairs;
  /** What the autoencoder writes back when measured: held-out texts, or pairs' responses. */
  private final List<int[]> heldOutTexts;

  LatentFamily(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths) {
    super(ctx, runId, config, model, tok, corpus, validation, lengths);
    this.whole = model.as(LatentDiffusion.class);
    this.autoencoder = LatentMethod.autoencoder(whole);
    this.first = new AutoencoderTrainer(autoencoder, config.train().weightDecay(),
        config.train().gradClip(), config.autoencoder().latentNoise());
    this.second = new LatentDiffusionTrainer(whole, LatentMethod.schedule(config),
        config.train().weightDecay(), config.train().gradClip());
    this.firstSteps = config.autoencoder().firstSteps(config.train().steps());
    this.pairs = whole.block().isConditional();
    this.heldOutTexts = pairs
        ? LatentMethod.responses(validation, tok.sepId(), tok.padId())
        : validation;
  }

  private boolean inSecondStage() {
    return taken > firstSteps;
  }

  /**
   * The autoencoder's stage runs the run's schedule, or with separate schedules one of its own
   * that ends at the switch; the denoiser's stage warms up again over {@link #STAGE_WARMUP}
   * steps, on the run's schedule (shared) or on one over the steps left (separate).
   */
  @Override
  public double learningRate(LearningRate schedule, int step) {
    return stageRate(schedule, step, firstSteps, config.autoencoder().separateSchedules());
  }

  /** {@link #learningRate} for a switch after {@code firstSteps} steps. */
  static double stageRate(LearningRate schedule, int step, int firstSteps, boolean separate) {
    if (separate) {
      return step < firstSteps
          ? new LearningRate(schedule.peak(), Math.min(schedule.warmupSteps(), firstSteps),
              firstSteps).at(step)
          : new LearningRate(schedule.peak(), STAGE_WARMUP,
              Math.max(1, schedule.totalSteps() - firstSteps)).at(step - firstSteps);
    }
    if (step < firstSteps) {
      return schedule.at(step);
    }
    return schedule.at(step) * Math.min(1.0, (double) (step + 1 - firstSteps) / STAGE_WARMUP);
  }

  @Override
  public Outcome step(TrainBatch batch, Random random, double lr) {
    taken++;
    long positions = (long) batch.tokens().length * batch.tokens()[0].length;
    int[][] ids = batch.tokens();
    float[][] keep = batch.keep();
    LatentMethod.Pairs split = null;
    if (pairs) {
      split = LatentMethod.pairs(ids, tok.sepId(), tok.padId(), config.model().seqLen());
      ids = split.responses();
      keep = split.keep();
    }
    if (!inSecondStage()) {
      AutoencoderTrainer.Step s = first.step(ids, keep, lr);
      lastLoss = s.loss();
      return new Outcome(s.loss(), s.gradNorm(), s.tokens(), positions);
    }
    if (!scaled) {
      List<int[]> rows = corpus.tokens().subList(0, Math.min(corpus.tokens().size(),
          LatentDiffusionTrainer.SCALE_TEXTS));
      List<int[]> texts = (pairs ? LatentMethod.responses(rows, tok.sepId(), tok.padId()) : rows)
          .stream()
          .map(d -> java.util.Arrays.copyOf(d, Math.min(d.length, config.model().seqLen())))
          .toList();
      LatentDiffusionTrainer.measureScale(whole, texts, tok.padId());
      scaled = true;
    }
    LatentDiffusionTrainer.Step s = split == null
        ? second.step(ids, keep, lr, random)
        : second.step(ids, keep, split.prompts(), config.autoencoder().conditionDropout(),
            lr, random);
    buckets.add(s.level(), s.perText());
    lastLoss = s.loss();
    long tokens = java.util.Arrays.stream(batch.rowLengths()).sum();
    return new Outcome(s.loss(), s.gradNorm(), tokens, positions);
  }

  @Override
  public String lastNoise() {
    return (inSecondStage() ? "denoiser" : "autoencoder") + " stage, loss " + lastLoss;
  }

  @Override
  public void publishCurve(int step) {
    if (inSecondStage()) {
      ctx.publish(new NoiseLevelLosses(runId, step, RatioBuckets.LEVELS, buckets.values()));
    }
  }

  @Override
  public void evaluate(int step, Map<String, Double> metrics) {
    if (validation.isEmpty()) {
      return;
    }
    if (!inSecondStage()) {
      AutoencoderFamily.measure(ctx, runId, step, metrics,
          LatentMethod.autoencoderModel(live()), heldOutTexts);
      return;
    }
    if (pairs) {
      answerPreview(step, metrics);
    }
    LatentMethod.HeldOut held = LatentMethod.heldOut(live(), validation);
    // how much the prompt tells the denoiser: its error without any against with them
    held.withoutPrompts().ifPresent(v -> metrics.put("val_latent_mse_without_prompt", v));
    double loss = held.read();
    metrics.put("val_latent_mse", loss);
    ctx.publish(new EvalPoint(runId, step, new EvalPoint.MeanSquare(
        "denoising error (v, mean square, ten noise levels)", loss)));
  }

  @Override
  public void preview(int step) {
    if (validation.isEmpty()) {
      return;
    }
    if (!inSecondStage()) {
      if (!evaluatedAt(step)) { // an evaluation showed its texts already
        AutoencoderFamily.publish(ctx, runId, step, AutoencoderMethod.reconstruct(
            LatentMethod.autoencoderModel(live()), heldOutTexts, AutoencoderFamily.PREVIEWED));
      }
      return;
    }
    if (pairs) {
      if (!evaluatedAt(step)) {
        answerPreview(step, null);
      }
      return;
    }
    var traces = LatentMethod.INSTANCE.sample(live(), config.sampler(),
        previewLengths(config, lengths, step), new int[0], config.seed() + step, ctx, null);
    ctx.publish(preview(step, traces));
  }

  private LoadedModel live() {
    return new LoadedModel(config, tok, model, null, extras());
  }

  /** The optimizer of the stage of the step last taken (the first before any). */
  @Override
  public AdamW optimizer() {
    return inSecondStage() ? second.optimizer() : first.optimizer();
  }

  /**
   * Continues at the checkpoint's step. A checkpoint past its own switch keeps that switch (a
   * run resumed with more steps does not send a frozen autoencoder back to training) and the
   * scale it measured.
   */
  @Override
  public void restore(dev.diffulab.engine.checkpoint.Checkpoint.Contents checkpoint) {
    taken = checkpoint.manifest().step();
    RunConfig before = checkpoint.config();
    int switched = before.autoencoder().firstSteps(before.train().steps());
    if (taken > switched) {
      firstSteps = switched;
    }
    scaled = inSecondStage();
  }

  @Override
  public void close() {
    first.close();
    second.close();
  }
}
