package dev.diffulab.core.gaussian;

/**
 * How well a model undoes the noise on one picture along the whole forward process: at each
 * of a few fractions of the way (and their steps t), the mean squared error of its ε̂ and of its
 * x̂₀, with the same noise ε scaled to each t.
 */
public record NoiseCurve(double[] fraction, int[] t, double[] noiseError, double[] imageError) {
}
