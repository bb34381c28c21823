/**
 * What every workspace shares: the app session (the engine's requests, answers on the UI thread),
 * the frame dispatcher, errors, the model chooser, recent checkpoints, GIF writing.
 */
package dev.diffulab.ui.common;
