package dev.diffulab.engine.cdcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;

/**
 * CDCD's score-interpolation loss: embed the clean tokens (normalised), add Gaussian noise of scale
 * σ (one σ per sequence) to every position that is not given, and take the cross-entropy of the
 * denoiser's logits against the clean tokens at every real, non-given position — the head run at
 * those rows only, the cross-entropy taken by index ({@link TokenCrossEntropy}).
 */
public final class CdcdObjective {
  private CdcdObjective() {
  }

  /**
   * @param loss the mean cross-entropy (the scalar to minimise)
   * @param perSequence each sequence's mean cross-entropy (B): its point on the entropy curve
   */
  public record Result(NDArray loss, NDArray perSequence) {
  }

  public static Result compute(DenoiserModel model, NDManager m, int[][] tokens, float[][] keep,
      float[][] given, float[] sigma, boolean training) {
    return compute(model, m, tokens, keep, given, sigma, training, false);
  }

  /**
   * @param selfCondition first estimate x̂₀ without it, then feed that estimate (no gradient
   *     through it) back in — Chen et al.'s self-conditioning as CDCD uses it
   */
  public static Result compute(DenoiserModel model, NDManager m, int[][] tokens, float[][] keep,
      float[][] given, float[] sigma, boolean training, boolean selfCondition) {
    CdcdDenoiser block = (CdcdDenoiser) model.block();
    int b = tokens.length;
    int t = tokens[0].length;
    NDArray ids = m.create(tokens).toType(DataType.INT64, false); // (B, T)
    NDArray e = block.normalisedEmbedding(model.store(), m.getDevice(), training); // (V, D)
    NDArray x0 = ai.djl.nn.core.Embedding.embedding(ids, e,
        ai.djl.ndarray.types.SparseFormat.DENSE).head(); // (B, T, D)
    NDArray sig = m.create(sigma).reshape(b, 1, 1); // (B, 1, 1)
    NDArray givenArray = m.create(given).reshape(b, t, 1); // (B, T, 1)
    NDArray noise = m.randomNormal(new Shape(b, t, block.embeddingDim())); // (B, T, E)
    NDArray x = x0.add(noise.mul(sig).mul(givenArray.neg().add(1f))); // (B, T, D)
    NDArray keepArray = m.create(keep); // (B, T)
    NDList inputs = new NDList(x, sig, givenArray, keepArray);
    if (selfCondition) {
      NDArray first = block.forward(model.store(), inputs, training).head(); // (B, T, V)
      inputs.add(denoised(first, e, 1f).stopGradient()); // (B, T, D)
    }
    NDArray h = block.hidden(model.store(), inputs, training); // (B, T, D)
    // scored: every real position that is not a given prompt token nor a token the model may
    // never predict ([UNK] and other special tokens in the text)
    boolean[] special = model.special();
    float[][] scored = new float[b][t];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        int tok = tokens[i][j];
        boolean never = tok >= 0 && tok < special.length && special[tok];
        scored[i][j] = never ? 0f : keep[i][j] * (1f - given[i][j]);
      }
    }
    TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(scored, tokens);
    float[] count = new float[b];
    for (int s : rows.sequence()) {
      count[s]++;
    }
    for (int i = 0; i < b; i++) {
      count[i] = Math.max(1f, count[i]);
    }
    if (rows.size() == 0) {
      NDArray zero = h.sum().mul(0f); // ()
      return new Result(zero, m.zeros(new Shape(b)));
    }
    NDArray nll = TokenCrossEntropy.nll(block, model.store(), h, rows, training); // (N)
    NDArray perSeqSum = TokenCrossEntropy.perSequence(nll, rows, b); // (B)
    NDArray loss = nll.sum().div((float) rows.size()); // ()
    return new Result(loss, perSeqSum.div(m.create(count)));
  }

  /** x̂₀ = softmax(logits / τ)·Ê: the denoised estimate, a convex combination of embedding rows. */
  public static NDArray denoised(NDArray logits, NDArray normalisedEmbedding, float temperature) {
    return logits.div(temperature).softmax(-1).matMul(normalisedEmbedding); // (B, T, D)
  }
}
