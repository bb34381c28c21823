package dev.diffulab.core.snapshot;

/** One training step's loss, for the loss chart (an append-only stream). */
public record LossPoint(String runId, int step, double loss) implements StreamItem, Background {
}
