package dev.diffulab.engine.cdcd;

import ai.djl.ndarray.NDArray;
import dev.diffulab.engine.model.Scalars;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.Layout;
import dev.diffulab.engine.model.TokenCrossEntropy;

/**
 * CDCD's score-interpolation loss: embed the clean tokens (normalised), add Gaussian noise of scale
 * σ (one σ per sequence) to every position that is not given, and take the cross-entropy of the
 * denoiser's logits against the clean tokens at every real, non-given position — the head run at
 * those rows only, the cross-entropy taken by index ({@link TokenCrossEntropy}). In a packed batch
 * every document has its own σ and its own point on the entropy curve.
 */
public final class CdcdObjective {
  private CdcdObjective() {
  }

  /**
   * @param loss the mean cross-entropy (the scalar to minimise)
   * @param perSequence each document's mean cross-entropy (D): its point on the entropy curve
   */
  public record Result(NDArray loss, NDArray perSequence) {
  }

  public static Result compute(DenoiserModel<CdcdDenoiser> model, NDManager m, int[][] tokens,
      float[][] keep,
      float[][] given, float[] sigma, boolean training) {
    return compute(model, m, tokens, keep, given, sigma, training, false);
  }

  /**
   * @param selfCondition first estimate x̂₀ without it, then feed that estimate (no gradient
   *     through it) back in — Chen et al.'s self-conditioning as CDCD uses it
   */
  public static Result compute(DenoiserModel<CdcdDenoiser> model, NDManager m, int[][] tokens,
      float[][] keep,
      float[][] given, float[] sigma, boolean training, boolean selfCondition) {
    return compute(model, m, TrainBatch.fromKeep(tokens, keep), given, sigma, training,
        selfCondition);
  }

  /**
   * For a batch whose rows may hold several documents: one σ per document ({@code sigma} has
   * {@link TrainBatch#documents()} entries), the result's per-sequence values per document.
   */
  public static Result compute(DenoiserModel<CdcdDenoiser> model, NDManager m, TrainBatch batch,
      float[][] given, float[] sigma, boolean training, boolean selfCondition) {
    return compute(model, m, batch, given, sigma, training, selfCondition, 0f, null);
  }

  /**
   * Positions the loss scores: every real position that is not a given prompt token nor a token
   * the model may never predict. The loss is their mean; a step run in groups divides every
   * group's summed loss by the whole step's count, so the groups' gradients add up to the whole
   * batch's.
   */
  public static float scoredCount(TrainBatch batch, float[][] given, boolean[] special) {
    float[][] scored = scored(batch, given, special);
    long n = 0;
    for (float[] row : scored) {
      for (float v : row) {
        n += v != 0 ? 1 : 0;
      }
    }
    return Math.max(1, n);
  }

  private static float[][] scored(TrainBatch batch, float[][] given, boolean[] special) {
    int[][] tokens = batch.tokens();
    float[][] keep = batch.keep();
    float[][] scored = new float[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      scored[i] = new float[tokens[i].length];
      for (int j = 0; j < tokens[i].length; j++) {
        int tok = tokens[i][j];
        boolean never = tok >= 0 && tok < special.length && special[tok];
        scored[i][j] = never ? 0f : keep[i][j] * (1f - given[i][j]);
      }
    }
    return scored;
  }

  /**
   * As above, the summed loss divided by {@code normalizer} (see {@link #scoredCount}; 0: by this
   * batch's own scored positions), the Gaussian noise {@code noise} (B, T, E) given, or drawn
   * here when null.
   */
  public static Result compute(DenoiserModel<CdcdDenoiser> model, NDManager m, TrainBatch batch,
      float[][] given, float[] sigma, boolean training, boolean selfCondition, float normalizer,
      NDArray noise) {
    CdcdDenoiser block = model.block();
    int[][] tokens = batch.tokens();
    int[][] document = batch.document();
    int b = tokens.length;
    int t = tokens[0].length;
    int docs = sigma.length;
    boolean packed = batch.packed();
    NDArray ids = m.create(tokens).toType(DataType.INT64, false); // (B, T)
    NDArray e = block.normalisedEmbedding(model.store(), m.getDevice(), training); // (V, E)
    NDArray x0 = ai.djl.nn.core.Embedding.embedding(ids, e,
        ai.djl.ndarray.types.SparseFormat.DENSE).head(); // (B, T, E)
    NDArray sig; // (B, 1, 1), or (B, T, 1) when a row holds several documents
    if (packed) {
      float[][] perPosition = new float[b][t];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          perPosition[i][j] = document[i][j] >= 0 ? sigma[document[i][j]] : 1f;
        }
      }
      sig = m.create(perPosition).reshape(b, t, 1);
    } else {
      float[] perRow = new float[b];
      for (int i = 0; i < b; i++) {
        perRow[i] = document[i][0] >= 0 ? sigma[document[i][0]] : 1f;
      }
      sig = m.create(perRow).reshape(b, 1, 1);
    }
    NDArray givenArray = m.create(given).reshape(b, t, 1); // (B, T, 1)
    if (noise == null) {
      noise = m.randomNormal(new Shape(b, t, block.embeddingDim())); // (B, T, E)
    }
    NDArray x = x0.add(noise.mul(sig).mul(Scalars.add(givenArray.neg(), 1f))); // (B, T, E)
    Layout layout = Layout.of(m, batch.segment());
    NDArray previous = null;
    if (selfCondition) {
      NDArray firstHidden = block.hidden(model.store(), x, sig, givenArray, layout, null,
          training); // (B, T, D)
      NDArray first = block.project(model.store(), firstHidden, training); // (B, T, V)
      previous = denoised(first, e, 1f).stopGradient(); // (B, T, E)
    }
    NDArray h = block.hidden(model.store(), x, sig, givenArray, layout, previous,
        training); // (B, T, D)
    // scored: every real position that is not a given prompt token nor a token the model may
    // never predict ([UNK] and other special tokens in the text)
    float[][] scored = scored(batch, given, model.special());
    TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(scored, tokens, document);
    float[] count = new float[docs];
    for (int s : rows.sequence()) {
      count[s]++;
    }
    for (int i = 0; i < docs; i++) {
      count[i] = Math.max(1f, count[i]);
    }
    if (rows.size() == 0) {
      NDArray zero = Scalars.mul(h.sum(), 0f); // ()
      return new Result(zero, m.zeros(new Shape(docs)));
    }
    NDArray nll = TokenCrossEntropy.nll(block, model.store(), h, rows, training); // (N)
    NDArray perSeqSum = TokenCrossEntropy.perSequence(nll, rows, docs); // (D)
    NDArray loss = Scalars.div(nll.sum(), normalizer > 0 ? normalizer : rows.size()); // ()
    return new Result(loss, perSeqSum.div(m.create(count)));
  }

  /** x̂₀ = softmax(logits / τ)·Ê: the denoised estimate, a convex combination of embedding rows. */
  public static NDArray denoised(NDArray logits, NDArray normalisedEmbedding, float temperature) {
    return Scalars.div(logits, temperature).softmax(-1).matMul(normalisedEmbedding); // (B, T, D)
  }
}
