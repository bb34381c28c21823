/**
 * Immutable records the engine publishes and the window shows: status, progress, losses, curves,
 * traces, models, predictions, a run's result and a step's cost.
 */
package dev.diffulab.core.snapshot;
