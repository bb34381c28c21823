package dev.diffulab.engine.method;

import dev.diffulab.core.config.MaskingConfig;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.data.PairRows;
import dev.diffulab.engine.masked.MaskedTrainer;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The autoregressive baseline inside a training run: teacher forcing — every position predicts
 * the next token of its document, the loss on the response only (its end tokens included) —
 * through the masked family's trainer, with the causal decoder seeing every token and scoring the
 * shifted targets. It has no noise level, so no per-level curve; its evaluation and previews are
 * the held-out answers.
 */
final class ArFamily extends RunFamily {
  private final DenoiserModel<Denoiser> decoder;
  private final MaskedTrainer trainer;
  private final int promptEnd;
  private final boolean[] neverTarget;

  ArFamily(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths) {
    super(ctx, runId, config, model, tok, corpus, validation, lengths);
    this.decoder = model.as(Denoiser.class);
    // every target counted once: the mean over the batch's scored tokens
    MaskingConfig m = config.masking();
    RunConfig plain = config.withMasking(new MaskingConfig(m.ratio(), m.epsilon(),
        MaskingConfig.Weighting.NONE, 0, false));
    this.trainer = new MaskedTrainer(plain, decoder);
    this.promptEnd = PairRows.promptEnd(config, tok);
    this.neverTarget = PairRows.forbidden(config, tok);
  }

  @Override
  public Outcome step(TrainBatch batch, Random random, double lr) {
    MaskedTrainer.Step s = trainer.step(
        dev.diffulab.engine.ar.TeacherForcing.shifted(batch, promptEnd, neverTarget, tok.padId()),
        lr);
    lastLoss = s.loss();
    return new Outcome(s.loss(), s.gradNorm(), s.tokens(), s.positions());
  }

  private float lastLoss = Float.NaN;

  @Override
  public String lastNoise() {
    return "teacher forcing, loss " + lastLoss;
  }

  @Override
  public void publishCurve(int step) {
    // no noise levels: the loss line is the whole story
  }

  @Override
  public void evaluate(int step, Map<String, Double> metrics) {
    if (corpus.isPairs()) {
      answerPreview(step, metrics);
    }
  }

  @Override
  public void preview(int step) {
    if (corpus.isPairs() && !evaluatedAt(step)) {
      answerPreview(step, null);
    }
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
