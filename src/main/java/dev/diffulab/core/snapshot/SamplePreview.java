package dev.diffulab.core.snapshot;

import java.util.List;

/**
 * Samples drawn during training. {@code errors} holds, per sample, null when the TinyTales
 * validator accepts it or its first error; it is empty when the corpus is not TinyTales.
 * {@code match} is how far the valid samples' facts are from the corpus's: absent when the
 * corpus is not TinyTales or no sample was valid. {@code answers}: the texts are a pair run's
 * held-out answers, graded (their share right is published as an {@link AccuracyPoint} too).
 */
public record SamplePreview(String runId, int step, List<String> texts, List<String> errors,
    Match match, boolean answers)
    implements
      Snapshot,
      Background {
  /**
   * The attribute whose distribution is furthest from the corpus's (total variation), and what
   * as many corpus stories score on it.
   */
  public record Match(String attribute, double distance, double floor) {
  }

  /** The samples' distance to the corpus, when there is one to tell. */
  public java.util.Optional<Match> distributionMatch() {
    return java.util.Optional.ofNullable(match);
  }

  /** The share of valid samples, when the corpus is TinyTales. */
  public java.util.OptionalDouble validFraction() {
    return errors.isEmpty()
        ? java.util.OptionalDouble.empty()
        : java.util.OptionalDouble.of(errors.stream().filter(java.util.Objects::isNull).count()
            / (double) texts.size());
  }

  /** Samples of a model that writes text (not answers). */
  public SamplePreview(String runId, int step, List<String> texts, List<String> errors,
      Match match) {
    this(runId, step, texts, errors, match, false);
  }

  public SamplePreview {
    texts = List.copyOf(texts);
    errors = errors == null
        ? List.of()
        : java.util.Collections.unmodifiableList(
            new java.util.ArrayList<>(errors));
  }
}
