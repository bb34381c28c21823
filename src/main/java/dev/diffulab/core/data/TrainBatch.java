package dev.diffulab.core.data;

import java.util.Arrays;
import java.util.List;

/**
 * A training batch: token rows (B × T) and which document each position belongs to
 * ({@code segment}: 0 for padding, 1, 2, … for the documents of a row). Without packing every row
 * is one document; with packing ({@link Packing}) a row holds several, which the model keeps
 * apart. Documents are numbered across the batch ({@link #document}) because each has its own
 * noise level and its own point on the loss curves.
 */
public record TrainBatch(int[][] tokens, int[][] segment) {

  /** Rows of one document each: every non-padding position is segment 1. */
  public static TrainBatch unpacked(int[][] tokens, int padId) {
    int[][] segment = new int[tokens.length][];
    for (int b = 0; b < tokens.length; b++) {
      segment[b] = new int[tokens[b].length];
      for (int j = 0; j < tokens[b].length; j++) {
        segment[b][j] = tokens[b][j] == padId ? 0 : 1;
      }
    }
    return new TrainBatch(tokens, segment);
  }

  /**
   * The rows {@code indices} of a packing as a batch padded to its longest row ({@code padId},
   * segment 0).
   */
  public static TrainBatch of(Packing packing, int[] indices, int padId) {
    return new TrainBatch(LengthBatches.batch(packing.rows(), indices, padId),
        LengthBatches.batch(packing.segments(), indices, 0));
  }

  /** Rows of one document each, their padding given by a mask (1 real, 0 padding). */
  public static TrainBatch fromKeep(int[][] tokens, float[][] keep) {
    int[][] segment = new int[keep.length][];
    for (int b = 0; b < keep.length; b++) {
      segment[b] = new int[keep[b].length];
      for (int j = 0; j < keep[b].length; j++) {
        segment[b][j] = keep[b][j] > 0 ? 1 : 0;
      }
    }
    return new TrainBatch(tokens, segment);
  }

  /** Rows of plain documents (one each) as a batch padded to the longest. */
  public static TrainBatch of(List<int[]> docs, int[] indices, int padId) {
    return unpacked(LengthBatches.batch(docs, indices, padId), padId);
  }

  public int size() {
    return tokens.length;
  }

  public int length() {
    return tokens[0].length;
  }

  /** True when some row holds more than one document. */
  public boolean packed() {
    return packed(segment);
  }

  /** True when some row of {@code segment} holds more than one document. */
  public static boolean packed(int[][] segment) {
    for (int[] row : segment) {
      for (int s : row) {
        if (s > 1) {
          return true;
        }
      }
    }
    return false;
  }

  /** Documents in the batch. */
  public int documents() {
    return documents(segment);
  }

  /** Documents in a batch of {@code segment} (B × T). */
  public static int documents(int[][] segment) {
    int n = 0;
    for (int[] row : segment) {
      n += Arrays.stream(row).max().orElse(0);
    }
    return n;
  }

  /** The batch-wide document index of every position (B × T), −1 for padding. */
  public int[][] document() {
    return document(segment);
  }

  /** {@link #document()} for any {@code segment} (B × T). */
  public static int[][] document(int[][] segment) {
    int[][] out = new int[segment.length][];
    int offset = 0;
    for (int b = 0; b < segment.length; b++) {
      out[b] = new int[segment[b].length];
      int most = 0;
      for (int j = 0; j < segment[b].length; j++) {
        int s = segment[b][j];
        out[b][j] = s > 0 ? offset + s - 1 : -1;
        most = Math.max(most, s);
      }
      offset += most;
    }
    return out;
  }

  /** Every position's index within its own document (B × T); 0 at padding. */
  public int[][] positions() {
    return positions(segment);
  }

  /** Every position's index within its own document of {@code segment}; 0 at padding. */
  public static int[][] positions(int[][] segment) {
    int[][] out = new int[segment.length][];
    for (int b = 0; b < segment.length; b++) {
      out[b] = new int[segment[b].length];
      int start = 0;
      for (int j = 0; j < segment[b].length; j++) {
        if (j > 0 && segment[b][j] != segment[b][j - 1]) {
          start = j;
        }
        out[b][j] = segment[b][j] > 0 ? j - start : 0;
      }
    }
    return out;
  }

  /**
   * Every real token's distance to the last token of its document (0 there, and at padding):
   * the end positions of {@code model.end_positions}.
   */
  public static int[][] ends(int[][] segment) {
    int[][] out = new int[segment.length][];
    for (int b = 0; b < segment.length; b++) {
      out[b] = new int[segment[b].length];
      int end = segment[b].length - 1;
      for (int j = segment[b].length - 1; j >= 0; j--) {
        if (j == segment[b].length - 1 || segment[b][j] != segment[b][j + 1]) {
          end = j;
        }
        out[b][j] = segment[b][j] > 0 ? end - j : 0;
      }
    }
    return out;
  }

  /** 1 for real tokens, 0 for padding (B × T). */
  public float[][] keep() {
    return keep(segment);
  }

  /** 1 where {@code segment} holds a document, 0 at padding. */
  public static float[][] keep(int[][] segment) {
    float[][] out = new float[segment.length][];
    for (int b = 0; b < segment.length; b++) {
      out[b] = new float[segment[b].length];
      for (int j = 0; j < segment[b].length; j++) {
        out[b][j] = segment[b][j] > 0 ? 1f : 0f;
      }
    }
    return out;
  }

  /** The real length of every row: one past its last real position. */
  public int[] rowLengths() {
    return rowLengths(segment);
  }

  /** One past the last non-padding position of every row of {@code segment}. */
  public static int[] rowLengths(int[][] segment) {
    int[] out = new int[segment.length];
    for (int b = 0; b < segment.length; b++) {
      for (int j = segment[b].length - 1; j >= 0; j--) {
        if (segment[b][j] > 0) {
          out[b] = j + 1;
          break;
        }
      }
    }
    return out;
  }

  /**
   * The rows {@code rows} of this batch as a batch of their own, trimmed to the longest of them
   * (at least one position): a {@link LengthGroups} group. Its documents are numbered anew;
   * {@link #documentsOf} maps them back.
   */
  public TrainBatch rows(int[] rows) {
    int longest = 1;
    int[] lengths = rowLengths();
    for (int r : rows) {
      longest = Math.max(longest, lengths[r]);
    }
    int[][] t = new int[rows.length][];
    int[][] s = new int[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      t[i] = Arrays.copyOf(tokens[rows[i]], longest);
      s[i] = Arrays.copyOf(segment[rows[i]], longest);
    }
    return new TrainBatch(t, s);
  }

  /**
   * The batch-wide documents (as {@link #document} numbers them) of the rows {@code rows}, in the
   * order a batch of those rows numbers its own: entry d is the document d of {@code rows(rows)}.
   */
  public int[] documentsOf(int[] rows) {
    return documentsOf(segment, rows);
  }

  /** {@link #documentsOf(int[])} for any {@code segment} (B × T). */
  public static int[] documentsOf(int[][] segment, int[] rows) {
    int[][] document = document(segment);
    int[] out = new int[documents(segment)];
    int n = 0;
    for (int r : rows) {
      int previous = -1;
      for (int d : document[r]) {
        if (d >= 0 && d != previous) {
          out[n++] = d;
          previous = d;
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Real tokens in the batch. */
  public long realTokens() {
    long n = 0;
    for (int[] row : segment) {
      for (int s : row) {
        n += s > 0 ? 1 : 0;
      }
    }
    return n;
  }
}
