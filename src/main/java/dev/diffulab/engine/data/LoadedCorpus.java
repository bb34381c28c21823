package dev.diffulab.engine.data;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DataConfig;
import dev.diffulab.core.data.CorpusReader;
import dev.diffulab.core.metrics.CorpusStats;
import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.core.tinytales.TinyTalesCorpus;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A corpus read and tokenised: the documents, their token ids, statistics and a content hash
 * recorded in checkpoint manifests.
 */
public record LoadedCorpus(String name, boolean tinyTales, List<String> documents,
    List<int[]> tokens, CorpusStats stats, String dataHash) {

  /** The corpus a data config names: generated TinyTales, or a file. */
  public static LoadedCorpus load(DataConfig data, long seed, TextTokenizer tokenizer) {
    if (data.isTinyTales()) {
      return of("TinyTales (" + data.tinytalesStories() + " stories, seed " + seed + ")", true,
          TinyTalesCorpus.stories(data.tinytalesStories(), seed), tokenizer);
    }
    Path file = Path.of(data.corpus());
    return of(file.getFileName().toString(), false, CorpusReader.read(file), tokenizer);
  }

  public static LoadedCorpus of(String name, boolean tinyTales, List<String> docs,
      TextTokenizer tokenizer) {
    List<int[]> tokens = new ArrayList<>(docs.size());
    for (String d : docs) {
      tokens.add(tokenizer.encode(d));
    }
    CorpusStats stats = CorpusStats.of(tokens, tokenizer.unkId(), tokenizer.vocabSize());
    if (stats.tokens() == 0) {
      throw new InputException("corpus " + name + " has no tokens for tokenizer "
          + tokenizer.source());
    }
    return new LoadedCorpus(name, tinyTales, List.copyOf(docs), tokens, stats, hash(docs));
  }

  public CorpusSnapshot snapshot(String tokenizerName) {
    return new CorpusSnapshot(name, tokenizerName, stats,
        documents.subList(0, Math.min(50, documents.size())));
  }

  private static String hash(List<String> docs) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String d : docs) {
        md.update(d.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
