package dev.diffulab.engine.ar;

import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.core.masking.MaskedBatch;

/** What the autoregressive baseline trains and is evaluated on. */
public final class TeacherForcing {
  private TeacherForcing() {
  }

  /**
   * A batch as teacher forcing sees it: the tokens as they are, the target of position j the
   * token at j + 1 of the same document, scored where that token is part of the response (for
   * plain text: anywhere after the first token).
   */
  public static MaskedBatch shifted(TrainBatch batch, int promptEnd, boolean[] neverTarget,
      int padId) {
    int[][] tokens = batch.tokens();
    int[][] segment = batch.segment();
    int rows = tokens.length;
    int len = tokens[0].length;
    int[][] target = new int[rows][len];
    float[][] scored = new float[rows][len];
    // from the separator on, each position predicts a response token
    boolean[][] prompt = dev.diffulab.core.pairs.PairTokens.prompts(tokens, segment, promptEnd);
    for (int b = 0; b < rows; b++) {
      java.util.Arrays.fill(target[b], padId);
      for (int j = 0; j < len; j++) {
        if (segment[b][j] == 0) {
          continue;
        }
        boolean next = j + 1 < len && segment[b][j + 1] == segment[b][j];
        if (!next || (prompt[b][j] && tokens[b][j] != promptEnd)) {
          continue;
        }
        int t = tokens[b][j + 1];
        if (t >= 0 && t < neverTarget.length && neverTarget[t]) {
          continue;
        }
        target[b][j] = t;
        scored[b][j] = 1f;
      }
    }
    int docs = batch.documents();
    float[] ones = new float[docs];
    java.util.Arrays.fill(ones, 1f);
    // its loss is the mean over scored targets (weighting none): nothing counts as given
    return new MaskedBatch(tokens, target, scored, batch.keep(), ones, ones.clone(), segment,
        batch.document(), new int[docs]);
  }

}
