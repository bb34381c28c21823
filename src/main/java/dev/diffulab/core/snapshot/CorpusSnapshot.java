package dev.diffulab.core.snapshot;

import dev.diffulab.core.metrics.CorpusStats;
import java.util.List;

/**
 * A corpus as the UI shows it before training: where it came from, which tokenizer read it, its
 * statistics and a few of its documents.
 */
public record CorpusSnapshot(String corpusName, String tokenizerName, CorpusStats stats,
    List<String> someDocuments) implements Snapshot {
  public CorpusSnapshot {
    someDocuments = List.copyOf(someDocuments);
  }
}
