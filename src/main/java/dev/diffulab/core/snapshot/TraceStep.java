package dev.diffulab.core.snapshot;

/**
 * One recorded denoising step of one sample.
 *
 * @param step 0 (the starting canvas) to K
 * @param level the masked fraction after this step (masked diffusion) or σ (CDCD)
 * @param tokens the token id at every position (the mask id where masked)
 * @param states what happened to every position
 * @param confidence probability of the committed token (0 while masked)
 * @param entropy entropy in nats of the model's distribution at every position
 * @param topIds the five most likely tokens at every position (L × 5)
 * @param topProbs their probabilities (L × 5)
 */
public record TraceStep(int step, double level, int[] tokens, TokenState[] states,
    float[] confidence, float[] entropy, int[][] topIds, float[][] topProbs) {
}
