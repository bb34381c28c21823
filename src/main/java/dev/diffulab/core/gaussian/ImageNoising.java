package dev.diffulab.core.gaussian;

/**
 * A picture noised to step {@code t} of {@code steps} ({@code fraction} of the way along the
 * forward process) and what the model makes of it: x_t, its x̂₀ and ε̂ beside the true ε, each
 * H·W in [−1, 1] (ε unbounded), with the mean squared errors of ε̂ and x̂₀ and the signal-to-noise
 * ratio ᾱ/(1 − ᾱ) at t.
 */
public record ImageNoising(int t, int steps, double fraction, int height, int width,
    float[] noisy, float[] denoised, float[] predictedNoise, float[] noise, double noiseError,
    double imageError, double snr) {
}
