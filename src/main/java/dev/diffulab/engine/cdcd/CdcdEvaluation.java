package dev.diffulab.engine.cdcd;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.InputException;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/** Held-out cross-entropy of a CDCD model with every (non-padding) token noised at one σ. */
public final class CdcdEvaluation {
  private CdcdEvaluation() {
  }

  public static double crossEntropyAt(DenoiserModel<CdcdDenoiser> model, TextTokenizer tok,
      List<int[]> seqs,
      double sigma) {
    if (seqs.isEmpty()) {
      throw new InputException("no validation sequences");
    }
    double sum = 0;
    long n = 0;
    for (int from = 0; from < seqs.size(); from += 64) {
      int[][] batch = dev.diffulab.core.data.Sequences.trim(seqs.subList(from,
          Math.min(seqs.size(), from + 64)).toArray(int[][]::new), tok.padId());
      float[][] keep = new float[batch.length][batch[0].length];
      long real = 0;
      for (int b = 0; b < batch.length; b++) {
        for (int i = 0; i < batch[b].length; i++) {
          keep[b][i] = batch[b][i] == tok.padId() ? 0f : 1f;
          real += (long) keep[b][i];
        }
      }
      float[] sig = new float[batch.length];
      Arrays.fill(sig, (float) sigma);
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        sum += CdcdObjective
            .compute(model, m, batch, keep, new float[batch.length][batch[0].length], sig, false)
            .loss().getFloat() * real;
      }
      n += real;
    }
    return sum / Math.max(1, n);
  }
}
