package dev.diffulab.core.masking;

/**
 * One corrupted training batch for masked diffusion, as plain arrays (B sequences of T tokens).
 *
 * @param noisy token ids with masked positions replaced by [MASK]
 * @param clean the original token ids (the targets)
 * @param masked 1 where a position was masked (the loss is taken there), else 0
 * @param keep 1 for real tokens, 0 for padding (attention ignores padding)
 * @param ratio the mask ratio t of each sequence
 * @param weight the loss weight of each sequence: 1, or 1/t for MDLM's ELBO weighting
 */
public record MaskedBatch(int[][] noisy, int[][] clean, float[][] masked, float[][] keep,
    float[] ratio, float[] weight) {

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
