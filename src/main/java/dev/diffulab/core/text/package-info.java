/**
 * Text helpers shared by every layer: durations as people read them, special-token names,
 * WordPiece tokenizer files.
 */
package dev.diffulab.core.text;
