package dev.diffulab.core.gaussian;

import java.util.List;

/**
 * Pictures a Gaussian model drew (count × H·W, in [−1, 1]) with the classes they were asked for
 * (null: unconditional), and — when traced — x_t and x̂₀ before every step visited.
 */
public record ImageSamples(float[][] images, int height, int width, int[] asked,
    String[] classNames, int[] timesteps, List<float[][]> noisy, List<float[][]> denoised) {
}
