/**
 * CDCD on the shared transformer: the denoiser on normalised (optionally narrow) embeddings,
 * score-interpolation objective, trainer, Euler/Heun sampler, Masking preview and evaluation — on
 * a model, knowing nothing of runs or checkpoints.
 */
package dev.diffulab.engine.cdcd;
