package dev.diffulab.engine.cdcd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.diffulab.core.cdcd.TimeWarp;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.DenoiserModel;
import java.util.Random;

/**
 * One optimisation step of CDCD, written out: σ per document from the time warp (stratified),
 * noisy embeddings, cross-entropy against the clean tokens, backward, clip, AdamW; every
 * document's (σ, cross-entropy) goes back into the time warp, which is refitted every
 * {@code cdcd.refit_every} steps.
 */
public final class CdcdTrainer implements AutoCloseable {
  private final RunConfig config;
  private final DenoiserModel<CdcdDenoiser> model;
  private final AdamW optimizer;
  private final TimeWarp warp;
  private int steps;

  /** What one step measured, as host values. */
  public record Step(float loss, float gradNorm, float[] sigma, float[] crossEntropy,
      long tokens) {
  }

  public CdcdTrainer(RunConfig config, DenoiserModel<CdcdDenoiser> model) {
    this.config = config;
    this.model = model;
    var embedding = (model.block()).embeddingParameter();
    double embeddingScale = config.cdcd().embeddingLrScale();
    this.optimizer = new AdamW(model.parameters(), model.manager(), config.train().weightDecay(),
        config.train().gradClip(), p -> p == embedding ? embeddingScale : 1.0);
    this.warp = TimeWarp.of(config.cdcd());
  }

  /** Continues the refit rhythm of a run resumed after {@code done} steps. */
  public void resumeAfter(int done) {
    steps = done;
  }

  public TimeWarp warp() {
    return warp;
  }

  public AdamW optimizer() {
    return optimizer;
  }

  /** @param given 1 where a position is a clean prompt token, else 0 (B × T) */
  public Step step(int[][] tokens, float[][] keep, float[][] given, double lr, Random r) {
    return step(TrainBatch.fromKeep(tokens, keep), given, lr, r);
  }

  /** A step on a batch whose rows may hold several documents: one σ per document. */
  public Step step(TrainBatch batch, float[][] given, double lr, Random r) {
    int docs = batch.documents();
    float[] sigma = new float[docs];
    double[] drawn = warp.sigmas(docs, r);
    for (int i = 0; i < sigma.length; i++) {
      sigma[i] = (float) drawn[i];
    }
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      CdcdObjective.Result res;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        // self-conditioning on half of the steps, as in CDCD
        boolean selfCondition = config.cdcd().selfConditioning() && r.nextBoolean();
        res = CdcdObjective.compute(model, m, batch, given, sigma, true, selfCondition);
        gc.backward(res.loss());
      }
      float gradNorm = optimizer.step(lr);
      float loss = res.loss().getFloat();
      float[] ce = res.perSequence().toFloatArray();
      for (int d = 0; d < docs; d++) {
        warp.add(sigma[d], ce[d]);
      }
      long real = batch.realTokens();
      if (++steps % config.cdcd().refitEvery() == 0) {
        warp.fit();
      }
      return new Step(loss, gradNorm, sigma, ce, real);
    }
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
