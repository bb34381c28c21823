/**
 * Plain Java, no JavaFX and no DJL: what the lab knows about configs, corpora, masking, schedules,
 * sampling rules, metrics and the immutable snapshots the engine publishes. Testable without a
 * window or an engine.
 */
package dev.diffulab.core;
