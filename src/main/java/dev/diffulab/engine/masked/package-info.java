/**
 * Masked diffusion on the shared transformer: objective (loss at the masked rows only), trainer,
 * sampler (random, low-confidence, ancestral, ReMDM), Masking preview and the MDLM bound — on a
 * model, knowing nothing of runs or checkpoints.
 */
package dev.diffulab.engine.masked;
