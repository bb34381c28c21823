/**
 * The Train workspace: Quick test, Full run, own settings, corpus and tokenizer, live charts,
 * samples, the runs of the session.
 */
package dev.diffulab.ui.train;
