package dev.diffulab.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Turns tokenised documents into fixed-length training sequences and splits them into training and
 * validation sets.
 */
public final class Sequences {
  private Sequences() {
  }

  /** Documents held out for validation and the ones trained on, split deterministically by seed. */
  public record Split(List<int[]> train, List<int[]> validation) {
  }

  public static Split split(List<int[]> docs, double validationFraction, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new Random(seed ^ 0x5DEECE66DL));
    int nVal = (int) Math.round(docs.size() * validationFraction);
    if (validationFraction > 0 && docs.size() >= 2) {
      nVal = Math.clamp(nVal, 1, docs.size() - 1);
    }
    List<int[]> val = new ArrayList<>();
    List<int[]> train = new ArrayList<>();
    for (int k = 0; k < order.size(); k++) {
      (k < nVal ? val : train).add(docs.get(order.get(k)));
    }
    return new Split(train, val);
  }

  /** Each document cut to at most {@code seqLen} tokens, unpadded. */
  public static List<int[]> truncate(List<int[]> docs, int seqLen) {
    List<int[]> out = new ArrayList<>(docs.size());
    for (int[] d : docs) {
      out.add(d.length <= seqLen ? d : Arrays.copyOf(d, seqLen));
    }
    return out;
  }

  /**
   * A padded batch cut after its last column that holds a real token in any row: attention,
   * embeddings and loss then cost what the longest sequence needs, not {@code seq_len}.
   */
  public static int[][] trim(int[][] batch, int padId) {
    int longest = 1;
    for (int[] row : batch) {
      for (int j = row.length - 1; j >= longest; j--) {
        if (row[j] != padId) {
          longest = j + 1;
          break;
        }
      }
    }
    int[][] out = new int[batch.length][];
    for (int b = 0; b < batch.length; b++) {
      out[b] = Arrays.copyOf(batch[b], Math.min(longest, batch[b].length));
    }
    return out;
  }

  /** One sequence per document: truncated to {@code seqLen}, padded with {@code padId}. */
  public static List<int[]> pad(List<int[]> docs, int seqLen, int padId) {
    List<int[]> out = new ArrayList<>(docs.size());
    for (int[] d : docs) {
      int[] s = new int[seqLen];
      Arrays.fill(s, padId);
      System.arraycopy(d, 0, s, 0, Math.min(seqLen, d.length));
      out.add(s);
    }
    return out;
  }

  /** Number of non-pad tokens in a sequence. */
  public static int length(int[] seq, int padId) {
    int n = 0;
    for (int t : seq) {
      if (t != padId) {
        n++;
      }
    }
    return n;
  }
}
