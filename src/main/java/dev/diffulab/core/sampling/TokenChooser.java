package dev.diffulab.core.sampling;

import dev.diffulab.core.config.SamplerConfig.TokenChoice;
import java.util.Arrays;
import java.util.Random;

/**
 * Picks a token from a distribution: {@code greedy} the most likely, {@code top-k} a draw among the
 * k most likely, {@code nucleus} (top-p, Holtzman et al. 2020) a draw among the smallest set whose
 * probability reaches p, {@code min-p} (Nguyen et al. 2024) a draw among the tokens at least
 * {@code minP} times as likely as the likeliest. Temperature is applied by the caller to the
 * logits.
 */
public record TokenChooser(TokenChoice choice, int topK, double topP, double minP) {

  /** A draw with the generator's next uniform number. */
  public int choose(float[] p, int offset, int vocab, Random r) {
    return choose(p, offset, vocab, r.nextDouble());
  }

  /**
   * The inverse-CDF draw for the uniform number {@code u} in [0, 1): candidates most likely first,
   * the first whose cumulative probability reaches {@code u} × their total (the engine's device
   * sampler computes the same choice).
   */
  public int choose(float[] p, int offset, int vocab, double u) {
    return switch (choice) {
      case GREEDY -> argmax(p, offset, vocab);
      case TOP_K -> drawAmong(p, offset, sortedIds(p, offset, vocab), Math.min(topK, vocab), u);
      case NUCLEUS -> {
        Integer[] ids = sortedIds(p, offset, vocab);
        double cum = 0;
        int n = 0;
        while (n < vocab && cum < topP) {
          cum += p[offset + ids[n]];
          n++;
        }
        yield drawAmong(p, offset, ids, Math.max(1, n), u);
      }
      case MIN_P -> {
        Integer[] ids = sortedIds(p, offset, vocab);
        double cut = minP * p[offset + ids[0]];
        int n = 1;
        while (n < vocab && p[offset + ids[n]] >= cut) {
          n++;
        }
        yield drawAmong(p, offset, ids, n, u);
      }
    };
  }

  public static int argmax(float[] p, int offset, int vocab) {
    int best = 0;
    for (int v = 1; v < vocab; v++) {
      if (p[offset + v] > p[offset + best]) {
        best = v;
      }
    }
    return best;
  }

  static Integer[] sortedIds(float[] p, int offset, int vocab) {
    Integer[] ids = new Integer[vocab];
    for (int v = 0; v < vocab; v++) {
      ids[v] = v;
    }
    Arrays.sort(ids, (a, b) -> Float.compare(p[offset + b], p[offset + a]));
    return ids;
  }

  private static int drawAmong(float[] p, int offset, Integer[] ids, int n, double uniform) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += p[offset + ids[i]];
    }
    double target = uniform * total;
    double cum = 0;
    for (int i = 0; i < n; i++) {
      cum += p[offset + ids[i]];
      if (cum > target) {
        return ids[i];
      }
    }
    return ids[n - 1];
  }

  /** The {@code k} most likely ids at a position, most likely first. */
  public static int[] top(float[] p, int offset, int vocab, int k) {
    int[] best = new int[Math.min(k, vocab)];
    Arrays.fill(best, -1);
    for (int v = 0; v < vocab; v++) {
      float x = p[offset + v];
      for (int j = 0; j < best.length; j++) {
        if (best[j] < 0 || x > p[offset + best[j]]) {
          System.arraycopy(best, j, best, j + 1, best.length - j - 1);
          best[j] = v;
          break;
        }
      }
    }
    return best;
  }
}
