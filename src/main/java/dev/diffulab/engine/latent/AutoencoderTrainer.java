package dev.diffulab.engine.latent;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import ai.djl.ndarray.NDScope;

/**
 * Training and reading back a {@link TextAutoencoder}: one optimisation step (encode, perturb
 * the latent, decode with teacher forcing, cross-entropy over every real token, backward, clip,
 * AdamW), the held-out reconstruction loss, and greedy reconstruction — encode a text, write it
 * back token by token from its latent alone.
 */
public final class AutoencoderTrainer implements AutoCloseable {
  private final DenoiserModel<TextAutoencoder> model;
  private final AdamW optimizer;
  private final double latentNoise;

  /** What one step measured. */
  public record Step(float loss, float gradNorm, long tokens) {
  }

  /**
   * How well texts come back from their latents.
   *
   * @param exact the share of texts written back exactly, every real token right
   * @param tokenAccuracy the share of real tokens written back right
   */
  public record Reconstruction(int[][] written, double exact, double tokenAccuracy) {
  }

  /** @param latentNoise the standard deviation of the noise added to a latent in training */
  public AutoencoderTrainer(DenoiserModel<TextAutoencoder> model, double weightDecay,
      double gradClip, double latentNoise) {
    this.model = model;
    this.latentNoise = latentNoise;
    this.optimizer = new AdamW(model.parameters(), model.manager(), weightDecay, gradClip);
  }

  public AdamW optimizer() {
    return optimizer;
  }

  /** One step on texts {@code ids} (B × T, padded) with {@code keep} 1 at real tokens. */
  public Step step(int[][] ids, float[][] keep, double lr) {
    float[][] scored = scored(ids, keep);
    TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(scored, ids);
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss = loss(m, ids, keep, rows, true);
        gc.backward(loss);
      }
      float norm = optimizer.gradientNorm();
      float gradNorm = optimizer.step(lr, norm);
      return new Step(loss.getFloat(), gradNorm, rows.size());
    }
  }

  /** The mean reconstruction cross-entropy (nats a token) of texts, teacher-forced, no noise. */
  public double heldOutLoss(int[][] ids, float[][] keep) {
    TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(scored(ids, keep), ids);
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      return loss(m, ids, keep, rows, false).getFloat();
    }
  }

  private NDArray loss(NDManager m, int[][] ids, float[][] keep, TokenCrossEntropy.Rows rows,
      boolean training) {
    TextAutoencoder ae = model.block();
    NDArray idArray = m.create(ids).toType(DataType.INT64, false); // (B, T)
    NDArray keepArray = m.create(keep); // (B, T)
    NDArray latent = ae.encode(model.store(), idArray, keepArray, training); // (B, k, Z)
    if (training) {
      latent = TextAutoencoder.perturb(latent, latentNoise);
    }
    NDArray h = ae.decode(model.store(), latent, idArray, keepArray, training); // (B, T, D)
    return TokenCrossEntropy.nll(ae, model.store(), h, rows, training).mean(); // ()
  }

  /** Positions whose token the decoder is asked for: real, and a token it may write. */
  private float[][] scored(int[][] ids, float[][] keep) {
    boolean[] special = model.special();
    float[][] s = new float[ids.length][];
    for (int b = 0; b < ids.length; b++) {
      s[b] = new float[ids[b].length];
      for (int j = 0; j < ids[b].length; j++) {
        int t = ids[b][j];
        boolean never = t >= 0 && t < special.length && special[t];
        s[b][j] = keep[b][j] != 0 && !never ? 1f : 0f;
      }
    }
    return s;
  }

  /**
   * Encodes texts and writes each back greedily from its latent alone, as many tokens as it has
   * real ones (its length is given, not predicted); measures what came back right.
   */
  public Reconstruction reconstruct(int[][] ids, float[][] keep) {
    TextAutoencoder ae = model.block();
    int b = ids.length;
    int t = ids[0].length;
    int[][] written = new int[b][t];
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray keepArray = m.create(keep); // (B, T)
      NDArray latent = ae.encode(model.store(), m.create(ids).toType(DataType.INT64, false),
          keepArray, false); // (B, k, Z)
      written = decodeGreedy(m, latent, keepArray, t);
    }
    long right = 0;
    long real = 0;
    int exact = 0;
    for (int i = 0; i < b; i++) {
      boolean all = true;
      for (int j = 0; j < t; j++) {
        if (keep[i][j] == 0) {
          written[i][j] = ids[i][j];
          continue;
        }
        real++;
        if (written[i][j] == ids[i][j]) {
          right++;
        } else {
          all = false;
        }
      }
      exact += all ? 1 : 0;
    }
    return new Reconstruction(written, b == 0 ? 0 : (double) exact / b,
        real == 0 ? 0 : (double) right / real);
  }

  /**
   * Writes {@code length} tokens after each latent (B, k, Z), each the decoder's most likely
   * next token given the latent and the tokens written before it.
   */
  public int[][] decodeGreedy(NDManager m, NDArray latent, NDArray keep, int length) {
    TextAutoencoder ae = model.block();
    int b = (int) latent.getShape().get(0);
    int[][] written = new int[b][length];
    for (int j = 0; j < length; j++) {
      try (NDScope step = new NDScope()) {
        step.suppressNotUsedWarning();
        int upTo = j + 1;
        int[][] sofar = new int[b][upTo];
        for (int i = 0; i < b; i++) {
          System.arraycopy(written[i], 0, sofar[i], 0, j); // position j is never read
        }
        NDArray ids = m.create(sofar).toType(DataType.INT64, false); // (B, j + 1)
        NDArray h = ae.decode(model.store(), latent, ids, keep.get(":, 0:" + upTo), false)
            .get(":, " + j + ":" + upTo + ", :"); // (B, 1, D)
        long[] next = ae.project(model.store(), h, false).argMax(-1).toLongArray(); // (B, 1)
        for (int i = 0; i < b; i++) {
          written[i][j] = (int) next[i];
        }
      }
    }
    return written;
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
