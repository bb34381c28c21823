/**
 * The shared transformer (pre-LN blocks, {@code Denoiser}), the layout of documents in a batch,
 * the loss taken by index at the scored rows, on-device draws, AdamW. Knows no family.
 */
package dev.diffulab.engine.model;
