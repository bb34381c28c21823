/**
 * Latent text diffusion's first stage: a transformer autoencoder that maps a text to a few
 * bounded latent vectors and writes it back from them (PLANNER's design), with its training step
 * and greedy reconstruction.
 */
package dev.diffulab.engine.latent;
