package dev.diffulab.core.snapshot;

/**
 * A validation measurement: MDLM's bound (negative ELBO) in bits per token and the perplexity bound
 * it implies, and the mean masked cross-entropy in nats.
 */
public record EvalPoint(String runId, int step, double nelboBitsPerToken, double pplBound,
    double maskedCeNats) implements StreamItem, Background {
}
