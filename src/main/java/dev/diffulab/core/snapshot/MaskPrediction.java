package dev.diffulab.core.snapshot;

/**
 * The model's view of one masked text: for every masked position its five best guesses with
 * probabilities, and the share of masked positions where the best guess is the original token.
 *
 * @param masked which positions were masked for this prediction
 * @param topTokens per position the five best tokens (empty for unmasked positions)
 * @param topProbs their probabilities
 */
public record MaskPrediction(long requestId, double ratio, long seed, boolean[] masked,
    String[][] topTokens, float[][] topProbs, double accuracy) implements Snapshot {
}
