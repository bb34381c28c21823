package dev.diffulab.core.snapshot;

/**
 * A run's held-out accuracy at one step: for a prompt → response run the share of prompts
 * answered exactly right and, for a chain-of-thought task, the share of right partial products
 * (NaN otherwise); for the text autoencoder the share of texts written back exactly and of
 * tokens written back right. {@link Measured} says which, in words.
 */
public record AccuracyPoint(String runId, int step, double exact, double partialShare,
    int prompts, Measured measured) implements StreamItem, Background {

  /** What is measured, in the words the chart and the command line use. */
  public enum Measured {
    /** Held-out prompts answered: exact answers, and right partial products, facts or ROUGE-L. */
    ANSWERS("held-out prompts", "parts right (partial products, facts or ROUGE-L)",
        "Held-out answers: exact accuracy", "exact answers (held-out)",
        "right partial products (facts, ROUGE-L)"),
    /** Held-out texts written back from their latents: exactly, and token by token. */
    RECONSTRUCTION("held-out texts written back", "tokens right",
        "Held-out texts written back from their latents", "texts back exactly",
        "tokens back right");

    private final String counted;
    private final String parts;
    private final String title;
    private final String exactSeries;
    private final String partsSeries;

    Measured(String counted, String parts, String title, String exactSeries,
        String partsSeries) {
      this.counted = counted;
      this.parts = parts;
      this.title = title;
      this.exactSeries = exactSeries;
      this.partsSeries = partsSeries;
    }

    /** What the count counts ("held-out prompts"). */
    public String counted() {
      return counted;
    }

    /** What the partial share is the share of ("tokens right"). */
    public String parts() {
      return parts;
    }

    /** The quality chart's title while this is shown. */
    public String title() {
      return title;
    }

    public String exactSeries() {
      return exactSeries;
    }

    public String partsSeries() {
      return partsSeries;
    }
  }

  /** A pair run's held-out answers. */
  public AccuracyPoint(String runId, int step, double exact, double partialShare, int prompts) {
    this(runId, step, exact, partialShare, prompts, Measured.ANSWERS);
  }
}
