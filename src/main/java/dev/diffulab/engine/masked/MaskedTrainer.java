package dev.diffulab.engine.masked;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;

/**
 * One optimisation step of masked diffusion, written out: forward the corrupted batch, the masked
 * cross-entropy, backward, clip, AdamW. Every temporary lives in the step's scope.
 */
public final class MaskedTrainer implements AutoCloseable {
  private final RunConfig config;
  private final DenoiserModel<Denoiser> model;
  private final AdamW optimizer;

  /** What one step measured, as host values. */
  public record Step(float loss, float gradNorm, float[] maskedMeanNll, float[] ratio,
      long tokens) {
  }

  public MaskedTrainer(RunConfig config, DenoiserModel<Denoiser> model) {
    this.config = config;
    this.model = model;
    this.optimizer = new AdamW(model.parameters(), model.manager(), config.train().weightDecay(),
        config.train().gradClip());
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public Step step(MaskedBatch batch, double lr) {
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      MaskedObjective.Result r;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        r = MaskedObjective.compute(model, m, batch, config.masking().weighting(), true);
        gc.backward(r.loss());
      }
      float gradNorm = optimizer.step(lr);
      float loss = r.loss().getFloat(); // the one scalar pulled per step: a NaN must stop the run
      float[] sum = r.maskedNll().toFloatArray();
      float[] count = r.maskedCount().toFloatArray();
      float[] mean = new float[sum.length];
      for (int i = 0; i < sum.length; i++) {
        mean[i] = count[i] > 0 ? sum[i] / count[i] : Float.NaN;
      }
      return new Step(loss, gradNorm, mean, batch.ratio(), batch.realTokens());
    }
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
