package dev.diffulab.engine.masked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.config.SamplerConfig.TokenChoice;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import dev.diffulab.engine.model.TokenDraws;
import dev.diffulab.engine.text.TextTokenizer;

/**
 * What the model would put in each blank of a masked text: one forward pass over the text with
 * the masked positions replaced by [MASK], the head at the masked positions only, the five best
 * guesses at each (on the device), and how often the best guess is the original token.
 */
public final class MaskPreview {
  private MaskPreview() {
  }

  /** @param seqLen the longest text the model takes; the rest of {@code ids} is left out */
  public static MaskPrediction predict(DenoiserModel<Denoiser> model, TextTokenizer tok, int seqLen,
      long requestId, int[] ids, boolean[] masked, double ratio, long seed) {
    int len = Math.min(ids.length, seqLen);
    int[][] input = new int[1][len];
    float[][] keep = new float[1][len];
    int count = 0;
    for (int i = 0; i < len; i++) {
      input[0][i] = masked[i] ? tok.maskId() : ids[i];
      keep[0][i] = 1f;
      count += masked[i] ? 1 : 0;
    }
    int[] rows = new int[count];
    for (int i = 0, k = 0; i < len; i++) {
      if (masked[i]) {
        rows[k++] = i;
      }
    }
    TokenDraws.Summary s = null;
    if (count > 0) {
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray h = model.block().hidden(model.store(), m, input, keep, false); // (1, L, D)
        NDArray picked = TokenCrossEntropy.pick(h, rows); // (M, D)
        NDArray logits = model.head().project(model.store(), picked, false); // (M, V)
        s = TokenDraws.summarise(logits, new TokenDraws.Rule(TokenChoice.GREEDY, 1, 1, 1),
            new int[0], new double[0]);
      }
    }
    return fromTop(requestId, ratio, seed, masked, rows, s, ids, tok, null);
  }

  /**
   * The five best guesses at each masked position {@code rows[k]} (row k of {@code s}), and the
   * share where the best is the original token.
   */
  public static MaskPrediction fromTop(long requestId, double level, long seed,
      boolean[] masked, int[] rows, TokenDraws.Summary s, int[] ids, TextTokenizer tok,
      String[] nearest) {
    String[][] topTokens = new String[ids.length][0];
    float[][] topProbs = new float[ids.length][0];
    int right = 0;
    for (int k = 0; k < rows.length; k++) {
      int i = rows[k];
      int[] top = s.topIds()[k];
      topTokens[i] = new String[top.length];
      for (int j = 0; j < top.length; j++) {
        topTokens[i][j] = tok.token(top[j]);
      }
      topProbs[i] = s.topProbs()[k].clone();
      right += top[0] == ids[i] ? 1 : 0;
    }
    return new MaskPrediction(requestId, level, seed, masked.clone(), topTokens, topProbs,
        rows.length == 0 ? Double.NaN : (double) right / rows.length, nearest);
  }
}
