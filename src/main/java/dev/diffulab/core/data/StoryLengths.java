package dev.diffulab.core.data;

import java.util.Random;

/**
 * Canvas lengths for sampling, drawn from the training stories' length histogram (index =
 * length in tokens), so a model writes whole stories that end where stories end.
 */
public final class StoryLengths {
  private StoryLengths() {
  }

  /** The length whose cumulative share of the histogram first exceeds u in [0, 1). */
  public static int draw(int[] histogram, double u) {
    long total = 0;
    for (int c : histogram) {
      total += c;
    }
    double target = u * total;
    for (int len = 0; len < histogram.length; len++) {
      target -= histogram[len];
      if (target < 0) {
        return len;
      }
    }
    return histogram.length - 1;
  }

  /**
   * {@code n} lengths: {@code fixed} when it is positive, else drawn; always at least one token
   * past the prompt and at most {@code seqLen}.
   */
  public static int[] sample(int[] histogram, int n, int fixed, int promptLength, int seqLen,
      Random r) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int len = fixed > 0 ? fixed : draw(histogram, r.nextDouble());
      out[i] = Math.clamp(len, Math.min(promptLength + 1, seqLen), seqLen);
    }
    return out;
  }
}
