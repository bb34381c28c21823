package dev.diffulab.engine.method;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.core.snapshot.AccuracyPoint;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.core.snapshot.SamplePreview;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.latent.AutoencoderTrainer;
import dev.diffulab.engine.latent.TextAutoencoder;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The text autoencoder inside a training run: each step reconstructs the batch's texts from
 * their noised latents; evaluations measure held-out reconstruction (its cross-entropy as the
 * validation line, the share of texts and of tokens written back exactly as the quality chart's
 * accuracy and right parts); previews show held-out texts beside what came back.
 */
final class AutoencoderFamily extends RunFamily {
  /** Held-out texts an evaluation writes back (greedy decoding costs a pass per token). */
  static final int EVALUATED = 64;
  /** Held-out texts a preview shows beside their reconstructions. */
  static final int PREVIEWED = 8;

  private final DenoiserModel<TextAutoencoder> autoencoder;
  private final AutoencoderTrainer trainer;
  private float lastLoss = Float.NaN;

  AutoencoderFamily(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths) {
    super(ctx, runId, config, model, tok, corpus, validation, lengths);
    this.autoencoder = model.as(TextAutoencoder.class);
    this.trainer = new AutoencoderTrainer(autoencoder, config.train().weightDecay(),
        config.train().gradClip(), config.autoencoder().latentNoise());
  }

  @Override
  public Outcome step(TrainBatch batch, Random random, double lr) {
    AutoencoderTrainer.Step s = trainer.step(batch.tokens(), batch.keep(), lr);
    lastLoss = s.loss();
    return new Outcome(s.loss(), s.gradNorm(), s.tokens(),
        (long) batch.tokens().length * batch.tokens()[0].length);
  }

  @Override
  public String lastNoise() {
    return "latent noise " + config.autoencoder().latentNoise() + ", loss " + lastLoss;
  }

  @Override
  public void publishCurve(int step) {
    // the loss line is the training story; the curve by latent noise is drawn by evaluate
  }

  @Override
  public void evaluate(int step, Map<String, Double> metrics) {
    if (validation.isEmpty()) {
      return;
    }
    measure(ctx, runId, step, metrics, new LoadedModel(config, tok, model, null, extras()),
        validation);
  }

  /**
   * An autoencoder's evaluation in a run: held-out reconstruction in {@code metrics}, published
   * as the validation line, the quality chart's points and a preview of texts written back.
   */
  static void measure(EngineContext ctx, String runId, int step, Map<String, Double> metrics,
      LoadedModel autoencoder, List<int[]> validation) {
    var r = AutoencoderMethod.reconstruct(autoencoder, validation, EVALUATED);
    metrics.put("val_reconstruction_ce_nats", r.ce());
    metrics.put("val_reconstruction_exact", r.exact());
    metrics.put("val_reconstruction_token_accuracy", r.tokenAccuracy());
    ctx.publish(new EvalPoint(runId, step, new EvalPoint.CrossEntropy(
        "reconstruction cross-entropy", r.ce())));
    ctx.publish(new AccuracyPoint(runId, step, r.exact(), r.tokenAccuracy(), r.texts(),
        AccuracyPoint.Measured.RECONSTRUCTION));
    publish(ctx, runId, step, r);
  }

  @Override
  public void preview(int step) {
    if (validation.isEmpty() || evaluatedAt(step)) {
      return;
    }
    LoadedModel live = new LoadedModel(config, tok, model, null, extras());
    publish(ctx, runId, step, AutoencoderMethod.reconstruct(live, validation, PREVIEWED));
  }

  /** Held-out texts beside what came back, those not written back exactly marked. */
  static void publish(EngineContext ctx, String runId, int step,
      AutoencoderMethod.Reconstruction r) {
    List<String> texts = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < Math.min(PREVIEWED, r.texts()); i++) {
      texts.add(r.written().get(i));
      errors.add(r.right().get(i) ? null : "the text was " + r.originals().get(i));
    }
    ctx.publish(new SamplePreview(runId, step, texts, errors, null,
        SamplePreview.Kind.RECONSTRUCTIONS));
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
