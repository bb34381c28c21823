/**
 * The Masking workspace: a text masked at any ratio (or noised at any σ), the model's guesses and
 * accuracy, the loss at every level.
 */
package dev.diffulab.ui.masking;
