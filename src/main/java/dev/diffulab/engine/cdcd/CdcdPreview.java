package dev.diffulab.engine.cdcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.engine.checkpoint.LoadedModel;
import java.util.Random;

/**
 * The Masking workspace for a CDCD model: every non-prompt token's embedding noised at σ (seeded),
 * the token nearest to each noisy embedding, and the model's five best guesses with how often the
 * best is the original token.
 */
public final class CdcdPreview {
  private CdcdPreview() {
  }

  public static MaskPrediction predict(LoadedModel lm, long requestId, int[] ids, int prefix,
      double sigma, long seed) {
    var model = lm.model();
    CdcdDenoiser block = (CdcdDenoiser) model.block();
    int len = Math.min(ids.length, lm.config().model().seqLen());
    int d = lm.config().model().dModel();
    int vocab = model.vocab();
    boolean[] noised = new boolean[ids.length];
    float[][] given = new float[1][len];
    float[][] keep = new float[1][len];
    for (int i = 0; i < len; i++) {
      noised[i] = i >= prefix;
      given[0][i] = noised[i] ? 0f : 1f;
      keep[0][i] = 1f;
    }
    float[] p;
    String[] nearest = new String[ids.length];
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      float[] emb = block.normalisedEmbedding(model.store(), model.device(), false)
          .toFloatArray();
      Random r = new Random(seed);
      float[] x = new float[len * d];
      for (int i = 0; i < len; i++) {
        for (int k = 0; k < d; k++) {
          x[i * d + k] = emb[ids[i] * d + k]
              + (noised[i] ? (float) (sigma * r.nextGaussian()) : 0f);
        }
        int best = 0;
        double bestDot = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          double dot = 0;
          for (int k = 0; k < d; k++) {
            dot += x[i * d + k] * emb[v * d + k];
          }
          if (dot > bestDot && !lm.tokenizer().isSpecial(v)) {
            bestDot = dot;
            best = v;
          }
        }
        nearest[i] = lm.tokenizer().token(best);
      }
      NDArray logits = block.forward(model.store(), new NDList(m.create(x).reshape(1, len, d),
          m.create(new float[]{(float) sigma}).reshape(1, 1, 1),
          m.create(given).reshape(1, len, 1), m.create(keep)), false).head(); // (1, L, V)
      p = logits.softmax(-1).toFloatArray();
    }
    return dev.diffulab.engine.masked.MaskPreview.fromProbabilities(requestId, sigma, seed,
        noised, p, vocab, ids, len, lm, nearest);
  }
}
