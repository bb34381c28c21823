package dev.diffulab.core.sampling;

/**
 * What the model said at every position of one canvas in one denoising step, reduced to what the
 * sampler and its trace read: a proposal (and its probability) at each masked position, the
 * entropy and the five most likely tokens everywhere. Computed on the device, so only these
 * arrays — never a distribution over the vocabulary — reach the host.
 *
 * @param proposal the drawn token at each masked position (ignored elsewhere)
 * @param proposalConfidence the probability of that token after temperature
 * @param entropy the entropy of each position's distribution, in nats
 * @param topIds the five most likely ids at each position, most likely first
 * @param topProbs their probabilities
 */
public record PositionScores(int[] proposal, float[] proposalConfidence, float[] entropy,
    int[][] topIds, float[][] topProbs) {
}
