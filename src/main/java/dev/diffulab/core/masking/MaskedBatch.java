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
 * @param given the real tokens of each document never masked because the model is conditioned
 *     on them (a pair's prompt, a locked prefix)
 */
public record MaskedBatch(int[][] noisy, int[][] clean, float[][] masked, float[][] keep,
    float[] ratio, float[] weight, int[][] segment, int[][] document, int[] given) {

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

  /**
   * The real tokens the model could be asked for (all but the given ones): what MDLM's bound,
   * a bound on the conditional likelihood of what is not given, is per token of.
   */
  public long scorableTokens() {
    long n = realTokens();
    for (int g : given) {
      n -= g;
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
    // the clean rows and their documents trimmed as a training batch's; the rest alongside
    var part = new dev.diffulab.core.data.TrainBatch(clean, segment).rows(rows);
    int length = part.length();
    int[][] noisyRows = new int[rows.length][];
    float[][] maskedRows = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      noisyRows[i] = java.util.Arrays.copyOf(noisy[rows[i]], length);
      maskedRows[i] = java.util.Arrays.copyOf(masked[rows[i]], length);
    }
    int[] docs = documentsOf(rows);
    float[] ratioDocs = new float[docs.length];
    float[] weightDocs = new float[docs.length];
    int[] givenDocs = new int[docs.length];
    for (int d = 0; d < docs.length; d++) {
      ratioDocs[d] = ratio[docs[d]];
      weightDocs[d] = weight[docs[d]];
      givenDocs[d] = given[docs[d]];
    }
    return new MaskedBatch(noisyRows, part.tokens(), maskedRows, part.keep(), ratioDocs,
        weightDocs, part.segment(), part.document(), givenDocs);
  }

  /** The documents of this batch that {@link #rows} numbers 0, 1, … for those rows. */
  public int[] documentsOf(int[] rows) {
    return dev.diffulab.core.data.TrainBatch.documentsOf(segment, rows);
  }
}
