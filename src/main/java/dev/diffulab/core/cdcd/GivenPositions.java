package dev.diffulab.core.cdcd;

import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Which positions of a CDCD training row are given clean — their embeddings never noised, their
 * tokens not scored, the model told they are given. A pair's prompt is given whole (Diffusion of
 * Thought's partial noising); a document may start with a clean prefix; and, with a given
 * fraction above zero, that share of documents gets a random subset of its positions given, at a
 * rate drawn uniformly from [0, 1) per document (CDCD's paper trains with random conditioning
 * masks beside prefixes). The last is what lets a sampler commit its surest positions as clean
 * tokens part way down: the model has seen clean tokens anywhere in a story. A document whose
 * random subset would cover it whole keeps one position noised, so every such document is scored.
 */
public final class GivenPositions {
  private GivenPositions() {
  }

  /**
   * The given mask of one row (1 given, 0 noised).
   *
   * @param segment per position, above 0 where a document's token stands (0: padding)
   * @param positions per position, its index inside its document (0 starts a document)
   * @param prompt per position, whether it belongs to a pair's prompt
   * @param prefix draws one document's clean prefix length
   * @param fraction the share of documents given a random subset (0: none, and no draws)
   * @param random the run's stream
   */
  public static float[] draw(int[] segment, int[] positions, boolean[] prompt,
      ToIntFunction<Random> prefix, double fraction, Random random) {
    float[] given = new float[segment.length];
    int length = 0;
    int[] drawn = new int[segment.length]; // the current document's randomly given positions
    int count = 0;
    int noised = 0;
    double rate = 0;
    for (int i = 0; i < segment.length; i++) {
      boolean real = segment[i] > 0;
      if (!real || positions[i] == 0) {
        keepOneNoised(given, drawn, count, noised, random); // the document before ends
        count = 0;
        noised = 0;
        rate = 0;
      }
      if (real && positions[i] == 0) {
        length = prefix.applyAsInt(random); // a document starts: its own prefix
        if (fraction > 0 && random.nextDouble() < fraction) {
          rate = random.nextDouble();
        }
      }
      if (!real) {
        continue;
      }
      boolean clean = prompt[i] || positions[i] < length;
      if (!clean && rate > 0 && random.nextDouble() < rate) {
        clean = true;
        drawn[count++] = i;
      }
      given[i] = clean ? 1f : 0f;
      if (!clean) {
        noised++;
      }
    }
    keepOneNoised(given, drawn, count, noised, random);
    return given;
  }

  /** Un-gives one of a document's randomly given positions when none of it is left noised. */
  private static void keepOneNoised(float[] given, int[] drawn, int count, int noised,
      Random random) {
    if (noised == 0 && count > 0) {
      given[drawn[random.nextInt(count)]] = 0f;
    }
  }
}
