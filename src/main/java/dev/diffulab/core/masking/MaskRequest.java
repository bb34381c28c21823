package dev.diffulab.core.masking;

/**
 * A Masking-workspace request: the text's ids, which positions are blanked (masked diffusion),
 * how many leading tokens are a clean prompt (CDCD), the level (mask ratio or σ) and the seed of
 * the noise.
 */
public record MaskRequest(long requestId, int[] ids, boolean[] masked, int prefix, double level,
    long seed) {
}
