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
 * cross-entropy, backward, clip, AdamW. With {@code data.length_groups} above 1 the batch runs as
 * groups of alike-length rows ({@link dev.diffulab.core.data.LengthGroups}) whose gradients add up
 * to the whole batch's. Every temporary lives in the step's scope.
 */
public final class MaskedTrainer implements AutoCloseable {
  private final RunConfig config;
  private final DenoiserModel<Denoiser> model;
  private final AdamW optimizer;

  /** What one step measured, as host values. */
  public record Step(float loss, float gradNorm, float[] maskedMeanNll, float[] ratio,
      long tokens, long positions) {
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
    int[][] groups = dev.diffulab.core.data.LengthGroups.of(
        dev.diffulab.core.data.TrainBatch.rowLengths(batch.segment()),
        config.data().lengthGroups(), config.model().seqLen());
    var weighting = config.masking().weighting();
    float normalizer = MaskedObjective.normalizer(batch, weighting);
    int docs = batch.documents();
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      Pass pass = pass(batch, groups, m, weighting, normalizer);
      float norm = optimizer.gradientNorm();
      if (!Float.isFinite(norm)) {
        // the same batch again: a backward pass that failed by chance gives the gradient the
        // run would have had; one that fails again is skipped by the optimiser
        optimizer.discardForRecompute();
        pass = pass(batch, groups, m, weighting, normalizer);
        norm = optimizer.gradientNorm();
      }
      float gradNorm = optimizer.step(lr, norm);
      float value = pass.loss().value(); // the one scalar pulled per step: a NaN must stop the run
      float[] mean = new float[docs];
      for (int i = 0; i < docs; i++) {
        mean[i] = pass.count()[i] > 0 ? pass.sum()[i] / pass.count()[i] : Float.NaN;
      }
      return new Step(value, gradNorm, mean, batch.ratio(), batch.realTokens(),
          pass.positions());
    }
  }

  /** What one forward and backward pass over a step's groups left: loss and per-document sums. */
  private record Pass(dev.diffulab.engine.model.GroupLoss loss, float[] sum, float[] count,
      long positions) {
  }

  /** Forward and backward over every group of the batch, the gradients adding up. */
  private Pass pass(MaskedBatch batch, int[][] groups, NDManager m,
      dev.diffulab.core.config.MaskingConfig.Weighting weighting, float normalizer) {
    int docs = batch.documents();
    float[] sum = new float[docs];
    float[] count = new float[docs];
    long positions = 0;
    dev.diffulab.engine.model.GroupLoss loss = new dev.diffulab.engine.model.GroupLoss();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      for (int[] group : groups) {
        // each group forward and backward on its own, padded to its own longest row; the
        // gradients add up (divided by the whole step's normaliser) to the whole batch's
        MaskedBatch part = groups.length == 1 ? batch : batch.rows(group);
        positions += (long) part.size() * part.length();
        int[] global = groups.length == 1 ? null : batch.documentsOf(group);
        try (NDScope inner = new NDScope()) {
          inner.suppressNotUsedWarning();
          MaskedObjective.Result r = MaskedObjective.compute(model, m, part, weighting, true,
              normalizer);
          loss.backward(gc, r.loss());
          float[] s = r.maskedNll().toFloatArray();
          float[] c = r.maskedCount().toFloatArray();
          for (int d = 0; d < s.length; d++) {
            int at = global == null ? d : global[d];
            sum[at] += s[d];
            count[at] += c[d];
          }
        }
      }
    }
    return new Pass(loss, sum, count, positions);
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
