package dev.diffulab.core.snapshot;

/**
 * Training loss per noise level: for masked diffusion, the masked cross-entropy in each of ten
 * mask-ratio buckets (10 %, 20 %, …, 100 %), smoothed over recent steps — the masked counterpart of
 * CDCD's entropy-versus-time curve. NaN where a bucket has no data yet.
 */
public record NoiseLevelLosses(String runId, int step, double[] levels, double[] loss)
    implements
      Snapshot,
      Background {
}
