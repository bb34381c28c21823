package dev.diffulab.engine.masked;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.config.MaskingConfig;
import dev.diffulab.core.data.Sequences;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import java.util.List;
import java.util.Random;

/**
 * Held-out measurements of a masked-diffusion model, deterministic for a seed: MDLM's bound, the
 * mean masked cross-entropy, the loss at each mask ratio, and the no-context baseline that predicts
 * each position from that position's token frequencies.
 */
public final class MaskedEvaluation {
  private static final int BATCH = 64;

  private MaskedEvaluation() {
  }

  /** NELBO in nats per token, and the mean masked cross-entropy, t stratified over (ε, 1). */
  public record Bound(double nelboNats, double maskedCe) {
    public double bitsPerToken() {
      return nelboNats / Math.log(2);
    }

    public double pplBound() {
      return Math.exp(nelboNats);
    }
  }

  public static Bound bound(DenoiserModel<Denoiser> model, List<int[]> sequences, int padId,
      int maskId,
      long seed) {
    return bound(model, sequences, padId, maskId, -1, seed);
  }

  /**
   * The bound with every document's prompt (its tokens up to and including the first
   * {@code promptEnd}; −1 for plain text) given, never masked and not counted: the bound on the
   * response given its prompt, per response token.
   */
  public static Bound bound(DenoiserModel<Denoiser> model, List<int[]> sequences, int padId,
      int maskId, int promptEnd, long seed) {
    MaskingConfig uniform = new MaskingConfig(MaskingConfig.Ratio.UNIFORM, 1e-3,
        MaskingConfig.Weighting.ELBO, 0, false);
    MaskingPolicy policy = new MaskingPolicy(uniform, padId, maskId, model.special(),
        promptEnd);
    Random r = new Random(seed);
    double weighted = 0;
    double tokens = 0;
    double maskedNll = 0;
    double masked = 0;
    for (int from = 0; from < sequences.size(); from += BATCH) {
      int[][] clean = Sequences.trim(sequences.subList(from, Math.min(sequences.size(),
          from + BATCH)).toArray(int[][]::new), padId);
      MaskedBatch b = policy.corrupt(clean, r);
      float[][] sums = perSequence(model, b);
      for (int i = 0; i < clean.length; i++) {
        weighted += sums[0][i] / b.ratio()[i];
        maskedNll += sums[0][i];
        masked += sums[1][i];
      }
      tokens += b.scorableTokens();
    }
    return new Bound(weighted / Math.max(1, tokens), maskedNll / Math.max(1, masked));
  }

  /** Mean masked cross-entropy at each ratio of {@code ratios}. */
  public static double[] lossByRatio(DenoiserModel<Denoiser> model, List<int[]> sequences,
      int padId,
      int maskId, double[] ratios, long seed) {
    return lossByRatio(model, sequences, padId, maskId, -1, ratios, seed);
  }

  /** As above, every document's prompt (up to {@code promptEnd}; −1: none) given, never masked. */
  public static double[] lossByRatio(DenoiserModel<Denoiser> model, List<int[]> sequences,
      int padId, int maskId, int promptEnd, double[] ratios, long seed) {
    MaskingConfig none = new MaskingConfig(MaskingConfig.Ratio.UNIFORM, 1e-3,
        MaskingConfig.Weighting.NONE, 0, false);
    MaskingPolicy policy = new MaskingPolicy(none, padId, maskId, model.special(), promptEnd);
    double[] out = new double[ratios.length];
    for (int k = 0; k < ratios.length; k++) {
      Random r = new Random(seed + k);
      double nll = 0;
      double count = 0;
      for (int from = 0; from < sequences.size(); from += BATCH) {
        int[][] clean = Sequences.trim(sequences.subList(from, Math.min(sequences.size(),
            from + BATCH)).toArray(int[][]::new), padId);
        float[] t = new float[clean.length];
        java.util.Arrays.fill(t, (float) ratios[k]);
        float[][] sums = perSequence(model, policy.corrupt(clean, t, r));
        for (int i = 0; i < clean.length; i++) {
          nll += sums[0][i];
          count += sums[1][i];
        }
      }
      out[k] = nll / Math.max(1, count);
    }
    return out;
  }

  /** Summed masked cross-entropy [0] and masked count [1] of each sequence. */
  private static float[][] perSequence(DenoiserModel<Denoiser> model, MaskedBatch b) {
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      MaskedObjective.Result res = MaskedObjective.compute(model, m, b,
          MaskingConfig.Weighting.NONE, false);
      return new float[][]{res.maskedNll().toFloatArray(), res.maskedCount().toFloatArray()};
    }
  }

  /**
   * Cross-entropy in nats of predicting each validation token from the frequencies of tokens at
   * that position in the training sequences (add-½ smoothing): what a model that ignores all
   * context but the position reaches.
   */
  public static double positionUnigramCe(List<int[]> train, List<int[]> validation, int vocab,
      int padId) {
    int len = train.getFirst().length;
    double[][] counts = new double[len][vocab];
    double[] totals = new double[len];
    for (int[] s : train) {
      for (int j = 0; j < len; j++) {
        if (s[j] != padId) {
          counts[j][s[j]]++;
          totals[j]++;
        }
      }
    }
    double nll = 0;
    long n = 0;
    for (int[] s : validation) {
      for (int j = 0; j < Math.min(len, s.length); j++) {
        if (s[j] != padId) {
          nll -= Math.log((counts[j][s[j]] + 0.5) / (totals[j] + 0.5 * vocab));
          n++;
        }
      }
    }
    return nll / Math.max(1, n);
  }
}
