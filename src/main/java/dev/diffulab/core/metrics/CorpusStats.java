package dev.diffulab.core.metrics;

import java.util.List;

/**
 * What a corpus looks like to a tokenizer, shown before training starts.
 *
 * @param documents number of documents
 * @param tokens number of tokens over all documents
 * @param unknownRate share of tokens that are the unknown token
 * @param unigramEntropyNats entropy of the corpus's token frequencies, in nats: the cross-entropy a
 *     model that ignores all context reaches
 * @param vocabularySize the tokenizer's vocabulary size
 */
public record CorpusStats(
    int documents, long tokens, double unknownRate, double unigramEntropyNats, int vocabularySize) {

  public static CorpusStats of(List<int[]> docs, int unknownId, int vocabularySize) {
    long[] counts = new long[vocabularySize];
    long total = 0;
    long unknown = 0;
    for (int[] d : docs) {
      for (int t : d) {
        counts[t]++;
        total++;
        if (t == unknownId) {
          unknown++;
        }
      }
    }
    return new CorpusStats(
        docs.size(),
        total,
        total == 0 ? 0 : (double) unknown / total,
        Entropy.ofCounts(counts),
        vocabularySize);
  }
}
