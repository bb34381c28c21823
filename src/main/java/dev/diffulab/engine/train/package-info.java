/**
 * The training loop (exact resume, checkpoints, progress, evaluation and previews at their
 * intervals) and {@code evaluate}.
 */
package dev.diffulab.engine.train;
