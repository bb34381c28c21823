package dev.diffulab.core.masking;

import dev.diffulab.core.config.MaskingConfig;
import java.util.Random;

/**
 * How training corrupts sequences: a mask ratio t per sequence — from the levels {0.1, …, 1.0}
 * (RoBERTa-diffusion's variable masking) or t ~ U(ε, 1) stratified across the batch (MDLM) — and
 * each non-prefix, non-padding token replaced by [MASK] with probability t. The first k tokens
 * (fixed, or drawn per sequence) are never masked so the model learns to continue a prompt.
 * Tokens the model may never predict ({@code [UNK]}, a literal {@code [MASK]} or {@code [SEP]} in
 * the text) stay visible and are never targets: a corpus full of unknown words trains on the
 * words it has (its unknown rate is reported), instead of on targets of probability zero.
 */
public final class MaskingPolicy {
  private final MaskingConfig config;
  private final int padId;
  private final int maskId;
  private final boolean[] neverTarget;

  public MaskingPolicy(MaskingConfig config, int padId, int maskId) {
    this(config, padId, maskId, new boolean[0]);
  }

  /** @param neverTarget ids that are never masked (the tokenizer's special tokens) */
  public MaskingPolicy(MaskingConfig config, int padId, int maskId, boolean[] neverTarget) {
    this(config, padId, maskId, neverTarget, -1);
  }

  /**
   * For prompt → response pairs ({@link dev.diffulab.core.pairs.PairTokens}): every document's
   * tokens up to and including its first {@code promptEnd} are its prompt, never masked, so the
   * loss (taken at masked positions) is on the response alone, as in LLaDA's fine-tuning.
   *
   * @param promptEnd the separator that ends a prompt, or −1 for plain text
   */
  public MaskingPolicy(MaskingConfig config, int padId, int maskId, boolean[] neverTarget,
      int promptEnd) {
    this.config = config;
    this.padId = padId;
    this.maskId = maskId;
    this.neverTarget = neverTarget.clone();
    this.promptEnd = promptEnd;
  }

  private final int promptEnd;

  private boolean neverTarget(int tok) {
    return tok >= 0 && tok < neverTarget.length && neverTarget[tok];
  }

  /** Draws the ratios of a batch of {@code n} sequences. */
  public float[] ratios(int n, Random r) {
    float[] t = new float[n];
    if (config.ratio() == MaskingConfig.Ratio.LEVELS) {
      for (int i = 0; i < n; i++) {
        t[i] = (1 + r.nextInt(10)) / 10f;
      }
      return t;
    }
    // stratified: one draw in each of n equal slices of (ε, 1), in random order
    double eps = config.epsilon();
    double[] u = dev.diffulab.core.Stratified.draws(n, r);
    for (int i = 0; i < n; i++) {
      t[i] = (float) (eps + (1 - eps) * u[i]);
    }
    return t;
  }

  public MaskedBatch corrupt(int[][] clean, Random r) {
    return corrupt(clean, ratios(clean.length, r), r);
  }

  /** Rows of one document each, with the ratio {@code t[b]} for row b. */
  public MaskedBatch corrupt(int[][] clean, float[] t, Random r) {
    return corrupt(dev.diffulab.core.data.TrainBatch.unpacked(clean, padId), t, r);
  }

  /** A batch of rows, packed or not: one ratio per document. */
  public MaskedBatch corrupt(dev.diffulab.core.data.TrainBatch batch, Random r) {
    return corrupt(batch, ratios(batch.documents(), r), r);
  }

  /**
   * @param t the ratio of every document of the batch, in order
   */
  public MaskedBatch corrupt(dev.diffulab.core.data.TrainBatch batch, float[] t, Random r) {
    int[][] clean = batch.tokens();
    int[][] segment = batch.segment();
    int[][] document = batch.document();
    int b = clean.length;
    int len = clean[0].length;
    int[][] noisy = new int[b][len];
    float[][] masked = new float[b][len];
    float[][] keep = new float[b][len];
    float[] weight = new float[t.length];
    int[] givenTokens = new int[t.length];
    boolean[][] given = dev.diffulab.core.pairs.PairTokens.prompts(clean, segment, promptEnd);
    for (int i = 0; i < b; i++) {
      int prefix = 0;
      int start = 0;
      for (int j = 0; j < len; j++) {
        int tok = clean[i][j];
        boolean real = segment[i][j] > 0;
        if (real && (j == 0 || segment[i][j] != segment[i][j - 1])) {
          // a document starts: its own prompt length
          start = j;
          prefix = config.drawPrefix(r);
        }
        keep[i][j] = real ? 1f : 0f;
        if (real && (given[i][j] || j - start < prefix)) {
          givenTokens[document[i][j]]++;
        }
        // the draw is made before the exclusion, so corpora without such tokens draw as before
        boolean m = real && !given[i][j] && j - start >= prefix
            && r.nextFloat() < t[document[i][j]] && !neverTarget(tok);
        masked[i][j] = m ? 1f : 0f;
        noisy[i][j] = m ? maskId : tok;
      }
    }
    for (int d = 0; d < t.length; d++) {
      weight[d] = switch (config.weighting()) {
        case NONE -> 1f;
        case ELBO -> 1f / t[d];
      };
    }
    return new MaskedBatch(noisy, clean, masked, keep, t, weight, segment, document,
        givenTokens);
  }
}
