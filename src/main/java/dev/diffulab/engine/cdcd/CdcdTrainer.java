package dev.diffulab.engine.cdcd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
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
      long tokens, long positions) {
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

  /**
   * A step on a batch whose rows may hold several documents: one σ per document. With
   * {@code data.length_groups} above 1 the batch runs as groups of alike-length rows
   * ({@link dev.diffulab.core.data.LengthGroups}) whose gradients add up to the whole batch's.
   */
  public Step step(TrainBatch batch, float[][] given, double lr, Random r) {
    int docs = batch.documents();
    float[] sigma = new float[docs];
    double[] drawn = warp.sigmas(docs, r);
    for (int i = 0; i < sigma.length; i++) {
      sigma[i] = (float) drawn[i];
    }
    int[][] groups = dev.diffulab.core.data.LengthGroups.of(batch.rowLengths(),
        config.data().lengthGroups(), config.model().seqLen());
    float normalizer = CdcdObjective.scoredCount(batch, given, model.special());
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      // self-conditioning on half of the steps, as in CDCD
      boolean selfCondition = config.cdcd().selfConditioning() && r.nextBoolean();
      // the noise is drawn once for the whole batch (each group takes its rows), so a step
      // draws the same whether it runs whole or in groups, and a recomputed pass sees the same
      NDArray noise = m.randomNormal(new ai.djl.ndarray.types.Shape(batch.size(),
          batch.length(), model.block().embeddingDim())); // (B, T, E)
      Pass pass = pass(batch, given, groups, sigma, m, selfCondition, normalizer, noise);
      float norm = optimizer.gradientNorm();
      if (!Float.isFinite(norm)) {
        // the same noise and batch again: see MaskedTrainer
        optimizer.discardForRecompute();
        pass = pass(batch, given, groups, sigma, m, selfCondition, normalizer, noise);
        norm = optimizer.gradientNorm();
      }
      float gradNorm = optimizer.step(lr, norm);
      float value = pass.loss().value();
      for (int d = 0; d < docs; d++) {
        warp.add(sigma[d], pass.crossEntropy()[d]);
      }
      long real = batch.realTokens();
      if (++steps % config.cdcd().refitEvery() == 0) {
        warp.fit();
      }
      return new Step(value, gradNorm, sigma, pass.crossEntropy(), real, pass.positions());
    }
  }

  /** What one forward and backward pass over a step's groups left. */
  private record Pass(dev.diffulab.engine.model.GroupLoss loss, float[] crossEntropy,
      long positions) {
  }

  /** Forward and backward over every group of the batch, the gradients adding up. */
  private Pass pass(TrainBatch batch, float[][] given, int[][] groups, float[] sigma,
      NDManager m, boolean selfCondition, float normalizer, NDArray noise) {
    float[] ce = new float[batch.documents()];
    long positions = 0;
    dev.diffulab.engine.model.GroupLoss loss = new dev.diffulab.engine.model.GroupLoss();
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      for (int[] group : groups) {
        boolean whole = groups.length == 1;
        TrainBatch part = whole ? batch : batch.rows(group);
        int[] global = whole ? null : batch.documentsOf(group);
        float[][] partGiven = whole ? given : rowsOf(given, group, part.length());
        float[] partSigma = sigma;
        if (!whole) {
          partSigma = new float[global.length];
          for (int d = 0; d < global.length; d++) {
            partSigma[d] = sigma[global[d]];
          }
        }
        positions += (long) part.size() * part.length();
        try (NDScope inner = new NDScope()) {
          inner.suppressNotUsedWarning();
          NDArray partNoise = whole ? noise : rowsOf(noise, group, part.length());
          CdcdObjective.Result res = CdcdObjective.compute(model, m, part, partGiven,
              partSigma, true, selfCondition, normalizer, partNoise);
          loss.backward(gc, res.loss());
          float[] partCe = res.perSequence().toFloatArray();
          for (int d = 0; d < partCe.length; d++) {
            ce[whole ? d : global[d]] = partCe[d];
          }
        }
      }
    }
    return new Pass(loss, ce, positions);
  }

  /** The rows {@code rows} of {@code x} (B, T, E), cut to their first {@code length}. */
  private static NDArray rowsOf(NDArray x, int[] rows, int length) {
    long[] at = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      at[i] = rows[i];
    }
    return x.get(new ai.djl.ndarray.index.NDIndex("{}", x.getManager().create(at)))
        .get(":, 0:" + length); // (G, L, E)
  }

  /** The rows {@code rows} of {@code a}, each cut or padded with zeros to {@code length}. */
  private static float[][] rowsOf(float[][] a, int[] rows, int length) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = java.util.Arrays.copyOf(a[rows[i]], length);
    }
    return out;
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
