package dev.diffulab.core.masking;

/**
 * One corrupted training batch for masked diffusion, as plain arrays (B rows of T tokens). A row is
 * one document, or several when documents are packed; each document has its own ratio.
 *
 * @param noisy token ids with masked positions replaced by [MASK]
 * @param clean the original token ids (the targets)
 * @param masked 1 where a position was masked (the loss is taken there), else 0
 * @param keep 1 for real tokens, 0 for padding (attention ignores padding)
 * @param ratio the mask ratio t of each document
 * @param weight the loss weight of each document: 1, or 1/t for MDLM's ELBO weighting
 * @param segment 0 for padding, else the 1-based document within the row (the model attends
 *     within a document only)
 * @param document the batch-wide document of every position, −1 for padding
 */
public record MaskedBatch(int[][] noisy, int[][] clean, float[][] masked, float[][] keep,
    float[] ratio, float[] weight, int[][] segment, int[][] document) {

  /** Documents in the batch (one per row unless packed). */
  public int documents() {
    return ratio.length;
  }

  public int size() {
    return noisy.length;
  }

  public int length() {
    return noisy[0].length;
  }

  /** Number of real (non-padding) tokens. */
  public long realTokens() {
    long n = 0;
    for (float[] row : keep) {
      for (float k : row) {
        n += (long) k;
      }
    }
    return n;
  }

  /** Masked positions in the batch: what the loss with weighting {@code none} averages over. */
  public long maskedCount() {
    long n = 0;
    for (float[] row : masked) {
      for (float v : row) {
        n += v != 0 ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * The rows {@code rows} as a batch of their own, trimmed to the longest of them: one
   * {@link dev.diffulab.core.data.LengthGroups} group of a step. Each document keeps its ratio
   * and weight; documents are numbered anew, document d of the result being
   * {@code documentsOf(rows)[d]} of this batch.
   */
  public MaskedBatch rows(int[] rows) {
    int[] lengths = dev.diffulab.core.data.TrainBatch.rowLengths(segment);
    int longest = 1;
    for (int r : rows) {
      longest = Math.max(longest, lengths[r]);
    }
    int n = rows.length;
    int[][] noisyRows = new int[n][];
    int[][] cleanRows = new int[n][];
    float[][] maskedRows = new float[n][];
    float[][] keepRows = new float[n][];
    int[][] segmentRows = new int[n][];
    for (int i = 0; i < n; i++) {
      int r = rows[i];
      noisyRows[i] = java.util.Arrays.copyOf(noisy[r], longest);
      cleanRows[i] = java.util.Arrays.copyOf(clean[r], longest);
      maskedRows[i] = java.util.Arrays.copyOf(masked[r], longest);
      keepRows[i] = java.util.Arrays.copyOf(keep[r], longest);
      segmentRows[i] = java.util.Arrays.copyOf(segment[r], longest);
    }
    int[] docs = documentsOf(rows);
    float[] ratioDocs = new float[docs.length];
    float[] weightDocs = new float[docs.length];
    for (int d = 0; d < docs.length; d++) {
      ratioDocs[d] = ratio[docs[d]];
      weightDocs[d] = weight[docs[d]];
    }
    int[][] documentRows = new dev.diffulab.core.data.TrainBatch(cleanRows, segmentRows)
        .document();
    return new MaskedBatch(noisyRows, cleanRows, maskedRows, keepRows, ratioDocs, weightDocs,
        segmentRows, documentRows);
  }

  /** The documents of this batch that {@link #rows} numbers 0, 1, … for those rows. */
  public int[] documentsOf(int[] rows) {
    return dev.diffulab.core.data.TrainBatch.documentsOf(segment, rows);
  }
}
