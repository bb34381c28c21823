package dev.diffulab.core.snapshot;

/**
 * A prompt → response run's held-out accuracy at one step: the share of prompts answered exactly
 * right and, for a chain-of-thought task, the share of right partial products (NaN otherwise).
 */
public record AccuracyPoint(String runId, int step, double exact, double partialShare,
    int prompts) implements StreamItem, Background {
}
