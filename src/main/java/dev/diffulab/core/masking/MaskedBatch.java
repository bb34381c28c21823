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
}
