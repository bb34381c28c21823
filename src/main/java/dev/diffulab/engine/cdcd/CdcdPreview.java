package dev.diffulab.engine.cdcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.diffulab.core.config.SamplerConfig.TokenChoice;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.engine.masked.MaskPreview;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import dev.diffulab.engine.model.TokenDraws;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.Random;

/**
 * The Masking workspace for a CDCD model: every non-prompt token's embedding noised at σ (seeded),
 * the token nearest to each noisy embedding, and the model's five best guesses with how often the
 * best is the original token — all reduced on the device.
 */
public final class CdcdPreview {
  private CdcdPreview() {
  }

  /** @param seqLen the longest text the model takes; the rest of {@code ids} is left out */
  public static MaskPrediction predict(DenoiserModel<CdcdDenoiser> model, TextTokenizer tok,
      int seqLen,
      long requestId, int[] ids, int prefix, double sigma, long seed) {
    CdcdDenoiser block = model.block();
    int len = Math.min(ids.length, seqLen);
    int d = block.embeddingDim();
    boolean[] noised = new boolean[ids.length];
    float[][] given = new float[1][len];
    float[][] keep = new float[1][len];
    int count = 0;
    for (int i = 0; i < len; i++) {
      noised[i] = i >= prefix;
      given[0][i] = noised[i] ? 0f : 1f;
      keep[0][i] = 1f;
      count += noised[i] ? 1 : 0;
    }
    int[] rows = new int[count];
    for (int i = 0, k = 0; i < len; i++) {
      if (noised[i]) {
        rows[k++] = i;
      }
    }
    // the noise is drawn on the host from the seed: the same seed, the same noisy text anywhere
    Random r = new Random(seed);
    float[] noise = new float[len * d];
    for (int i = 0; i < len; i++) {
      for (int k = 0; k < d; k++) {
        noise[i * d + k] = noised[i] ? (float) (sigma * r.nextGaussian()) : 0f;
      }
    }
    String[] nearest = new String[ids.length];
    TokenDraws.Summary s = null;
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray e = block.normalisedEmbedding(model.store(), model.device(), false); // (V, D)
      NDArray x = e.get(new NDIndex("{}", m.create(java.util.Arrays.copyOf(ids, len))
          .toType(DataType.INT64, false))) // (L, D)
          .add(m.create(noise).reshape(len, d)); // (L, D)
      // the nearest ordinary token to each noisy embedding (largest dot product)
      NDArray special = m.create(Denoiser.forbiddenBias(tok.specialMask())); // (V)
      long[] near = x.matMul(e.transpose()).add(special).argMax(-1).toLongArray(); // (L)
      for (int i = 0; i < len; i++) {
        nearest[i] = tok.token((int) near[i]);
      }
      if (count > 0) {
        NDList inputs = new NDList(x.reshape(1, len, d),
            m.create(new float[]{(float) sigma}).reshape(1, 1, 1),
            m.create(given).reshape(1, len, 1), m.create(keep));
        NDArray h = block.hidden(model.store(), inputs, false); // (1, L, D)
        NDArray logits = block.project(model.store(), TokenCrossEntropy.pick(h, rows),
            false); // (M, V)
        s = TokenDraws.summarise(logits, new TokenDraws.Rule(TokenChoice.GREEDY, 1, 1, 1),
            new int[0], new double[0]);
      }
    }
    return MaskPreview.fromTop(requestId, sigma, seed, noised, rows, s, ids, tok, nearest);
  }
}
