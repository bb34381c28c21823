package dev.diffulab.engine.masked;

import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;

/**
 * Diffusion of Thought's scheduled sampling for masked diffusion ({@code
 * masking.scheduled_sampling}): during training the model sometimes sees its own predictions
 * where the truth was hidden, so it learns to mend them, not only to fill blanks.
 */
public final class ScheduledSampling {
  private ScheduledSampling() {
  }

  /**
   * Scheduled sampling: the model's greedy guesses at the masked positions (a pass without
   * gradients), shown instead of [MASK] at half of them, each chosen by a coin; every masked
   * position is still scored against the true token.
   */
  public static MaskedBatch withOwnGuesses(DenoiserModel<Denoiser> masked, MaskedBatch b,
      java.util.Random random) {
    int len = b.length();
    int count = (int) b.maskedCount();
    if (count == 0) {
      return b;
    }
    int[] rows = new int[count];
    int k = 0;
    for (int i = 0; i < b.size(); i++) {
      for (int j = 0; j < len; j++) {
        if (b.masked()[i][j] != 0) {
          rows[k++] = i * len + j;
        }
      }
    }
    long[] guess;
    try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope();
        ai.djl.ndarray.NDManager m = masked.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      var h = masked.block().hidden(masked.store(), m, b.noisy(), b.segment(), false);
      var logits = masked.head().project(masked.store(),
          dev.diffulab.engine.model.TokenCrossEntropy.pick(h, rows), false); // (M, V)
      guess = logits.argMax(-1).toLongArray();
    }
    int[][] shown = new int[b.size()][];
    for (int i = 0; i < b.size(); i++) {
      shown[i] = b.noisy()[i].clone();
    }
    for (int r = 0; r < count; r++) {
      if (random.nextBoolean()) {
        shown[rows[r] / len][rows[r] % len] = (int) guess[r];
      }
    }
    return new MaskedBatch(shown, b.clean(), b.masked(), b.keep(),
        b.ratio(), b.weight(), b.segment(), b.document(), b.given());
  }
}
