package dev.diffulab.core.snapshot;

/**
 * The model's view of one masked (or, for CDCD, noised) text: for every masked position its five
 * best guesses with probabilities, and the share of masked positions where the best guess is the
 * original token.
 *
 * @param ratio the mask ratio, or σ for a CDCD model
 * @param masked which positions were masked (noised) for this prediction
 * @param topTokens per position the five best tokens (empty for unmasked positions)
 * @param topProbs their probabilities
 * @param nearest CDCD: the token nearest to each position's noisy embedding; null for masked
 *     diffusion
 */
public record MaskPrediction(long requestId, double ratio, long seed, boolean[] masked,
    String[][] topTokens, float[][] topProbs, double accuracy, String[] nearest)
    implements
      Snapshot {
}
