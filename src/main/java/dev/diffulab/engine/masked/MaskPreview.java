package dev.diffulab.engine.masked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.sampling.TokenChooser;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.engine.checkpoint.LoadedModel;

/**
 * What the model would put in each blank of a masked text: one forward pass over the text with
 * the masked positions replaced by [MASK], the five best guesses at each, and how often the best
 * guess is the original token.
 */
public final class MaskPreview {
  private MaskPreview() {
  }

  public static MaskPrediction predict(LoadedModel lm, long requestId, int[] ids,
      boolean[] masked, double ratio, long seed) {
    int len = Math.min(ids.length, lm.config().model().seqLen());
    int vocab = lm.model().vocab();
    int[][] input = new int[1][len];
    float[][] keep = new float[1][len];
    for (int i = 0; i < len; i++) {
      input[0][i] = masked[i] ? lm.tokenizer().maskId() : ids[i];
      keep[0][i] = 1f;
    }
    float[] p;
    try (NDScope scope = new NDScope(); NDManager m = lm.model().manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray logits = lm.model().logits(m, input, keep, false); // (1, L, V)
      p = logits.softmax(-1).toFloatArray(); // L·V
    }
    return fromProbabilities(requestId, ratio, seed, masked, p, vocab, ids, len, lm, null);
  }

  /**
   * The five best guesses at every masked position of one sequence's distributions {@code p}
   * (position i from i × vocab), and the share where the best is the original token.
   */
  public static MaskPrediction fromProbabilities(long requestId, double level, long seed,
      boolean[] masked, float[] p, int vocab, int[] ids, int len, LoadedModel lm,
      String[] nearest) {
    String[][] topTokens = new String[ids.length][0];
    float[][] topProbs = new float[ids.length][0];
    int right = 0;
    int total = 0;
    for (int i = 0; i < len; i++) {
      if (!masked[i]) {
        continue;
      }
      int[] top = TokenChooser.top(p, i * vocab, vocab, 5);
      topTokens[i] = new String[top.length];
      topProbs[i] = new float[top.length];
      for (int k = 0; k < top.length; k++) {
        topTokens[i][k] = lm.tokenizer().token(top[k]);
        topProbs[i][k] = p[i * vocab + top[k]];
      }
      total++;
      right += top[0] == ids[i] ? 1 : 0;
    }
    return new MaskPrediction(requestId, level, seed, masked.clone(), topTokens, topProbs,
        total == 0 ? Double.NaN : (double) right / total, nearest);
  }
}
