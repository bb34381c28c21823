package dev.diffulab.core.snapshot;

/**
 * CDCD's entropy-versus-time stream for the Train workspace: the recent training examples as
 * (σ, cross-entropy, step) points, the current monotone fit as (σ, cross-entropy) knots, the
 * corpus's unigram entropy (the plateau the curve should reach at large σ) and the sampling grid
 * σ_i = F⁻¹(linspace).
 */
public record EntropyCurve(String runId, int step, double[] sigma, double[] crossEntropy,
    int[] pointStep, double[][] fit, double unigramEntropy,
    double[] grid) implements Snapshot, Background {
}
