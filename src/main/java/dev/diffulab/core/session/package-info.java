/**
 * A saved state of the lab — the open models, corpus and tokenizer, the Masking text and slider,
 * the Denoise settings and recorded traces — as one JSON file, read back with every field checked.
 */
package dev.diffulab.core.session;
