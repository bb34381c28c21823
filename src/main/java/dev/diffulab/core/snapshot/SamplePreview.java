package dev.diffulab.core.snapshot;

import java.util.List;

/**
 * Samples drawn during training. {@code errors} holds, per sample, null when the TinyTales
 * validator accepts it or its first error; it is empty when the corpus is not TinyTales.
 */
public record SamplePreview(String runId, int step, List<String> texts, List<String> errors)
    implements
      Snapshot,
      Background {
  public SamplePreview {
    texts = List.copyOf(texts);
    errors = errors == null
        ? List.of()
        : java.util.Collections.unmodifiableList(
            new java.util.ArrayList<>(errors));
  }
}
