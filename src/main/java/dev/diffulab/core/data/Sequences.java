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

  /**
   * Documents back to back, each followed by {@code separatorId}, cut into full sequences of
   * {@code seqLen}; the incomplete tail is padded.
   */
  public static List<int[]> pack(List<int[]> docs, int seqLen, int separatorId, int padId) {
    List<int[]> out = new ArrayList<>();
    int[] cur = new int[seqLen];
    int at = 0;
    for (int[] d : docs) {
      for (int k = 0; k <= d.length; k++) {
        cur[at++] = k < d.length ? d[k] : separatorId;
        if (at == seqLen) {
          out.add(cur);
          cur = new int[seqLen];
          at = 0;
        }
      }
    }
    if (at > 0) {
      Arrays.fill(cur, at, seqLen, padId);
      out.add(cur);
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
