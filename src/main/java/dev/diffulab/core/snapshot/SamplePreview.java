package dev.diffulab.core.snapshot;

import java.util.List;

/**
 * Samples drawn during training. {@code errors} holds, per sample, null when the TinyTales
 * validator accepts it or its first error; it is empty when the corpus is not TinyTales.
 * {@code match} is how far the valid samples' facts are from the corpus's: absent when the
 * corpus is not TinyTales or no sample was valid. {@code kind}: what the texts are and so how
 * each is judged — samples by the validator, or texts graded against a reference (a pair run's
 * held-out answers, whose share right is published as an {@link AccuracyPoint} too; held-out
 * texts as an autoencoder writes them back).
 */
public record SamplePreview(String runId, int step, List<String> texts, List<String> errors,
    Match match, Kind kind)
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

  /** What a preview's texts are, and the words for a text that passes its judge and not. */
  public enum Kind {
    /** Samples, judged by the TinyTales validator where the corpus is TinyTales. */
    SAMPLES("valid", "invalid", "sample"),
    /** A pair run's answers to held-out prompts, right or wrong against the reference. */
    ANSWERS("right", "wrong", "answer"),
    /** Held-out texts as an autoencoder writes them back from their latents. */
    RECONSTRUCTIONS("exact", "changed", "written back");

    private final String passed;
    private final String failed;
    private final String noun;

    Kind(String passed, String failed, String noun) {
      this.passed = passed;
      this.failed = failed;
      this.noun = noun;
    }

    /** The word for a text that passes: "valid", "right", "exact". */
    public String passed() {
      return passed;
    }

    /** The word for a text that does not: "invalid", "wrong", "changed". */
    public String failed() {
      return failed;
    }

    /** What one text is, for a line of output: "sample", "answer", "written back". */
    public String noun() {
      return noun;
    }
  }

  /** Samples of a model that writes text (not answers). */
  public SamplePreview(String runId, int step, List<String> texts, List<String> errors,
      Match match) {
    this(runId, step, texts, errors, match, Kind.SAMPLES);
  }

  /** Whether the texts are graded against references (answers, reconstructions). */
  public boolean graded() {
    return kind != Kind.SAMPLES;
  }

  public SamplePreview {
    java.util.Objects.requireNonNull(kind, "kind");
    texts = List.copyOf(texts);
    errors = errors == null
        ? List.of()
        : java.util.Collections.unmodifiableList(
            new java.util.ArrayList<>(errors));
  }
}
