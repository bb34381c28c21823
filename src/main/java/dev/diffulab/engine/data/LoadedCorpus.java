package dev.diffulab.engine.data;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DataConfig;
import dev.diffulab.core.data.CorpusReader;
import dev.diffulab.core.metrics.CorpusStats;
import dev.diffulab.core.pairs.Pair;
import dev.diffulab.core.pairs.PairTokens;
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
 * recorded in checkpoint manifests. A pair corpus ({@link DataConfig#isPairs}) also keeps its
 * pairs; each document is then the pair's row ({@link PairTokens}): prompt, separator, response,
 * end tokens.
 */
public record LoadedCorpus(String name, boolean tinyTales, List<String> documents,
    List<int[]> tokens, CorpusStats stats, String dataHash, List<Pair> pairs) {

  public LoadedCorpus(String name, boolean tinyTales, List<String> documents, List<int[]> tokens,
      CorpusStats stats, String dataHash) {
    this(name, tinyTales, documents, tokens, stats, dataHash, List.of());
  }

  /** Whether the documents are prompt → response pairs. */
  public boolean isPairs() {
    return !pairs.isEmpty();
  }

  /** The corpus a data config names: generated TinyTales, a built-in task, or a file. */
  public static LoadedCorpus load(DataConfig data, long seed, TextTokenizer tokenizer) {
    return load(data, 0, seed, tokenizer);
  }

  /**
   * As above; the rows of a pair corpus are filled with end tokens to {@code seqLen} (0: one end
   * token each), and a pair longer than that is refused with its line.
   */
  public static LoadedCorpus load(DataConfig data, int seqLen, long seed,
      TextTokenizer tokenizer) {
    if (data.isTask()) {
      return pairs(data.corpus() + " (" + data.taskExamples() + " problems, seed " + seed + ")",
          dev.diffulab.core.pairs.Tasks.generate(data.corpus(), data.taskExamples(), seed),
          tokenizer, seqLen);
    }
    if (data.pairs()) {
      Path file = Path.of(data.corpus());
      return pairs(file.getFileName().toString(),
          dev.diffulab.core.pairs.PairCorpus.read(file), tokenizer, seqLen);
    }
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

  /**
   * Pairs as rows of {@link PairTokens}. The tokenizer must have a separator; a pair that holds
   * one in its text, or does not fit {@code seqLen}, is refused with its number.
   */
  public static LoadedCorpus pairs(String name, List<Pair> pairs, TextTokenizer tokenizer,
      int seqLen) {
    int sep = tokenizer.sepId();
    if (sep < 0) {
      throw new InputException("pair corpus " + name + ": tokenizer " + tokenizer.source()
          + " has no " + dev.diffulab.core.text.SpecialTokens.SEP + " token to end prompts and"
          + " responses with");
    }
    if (pairs.isEmpty()) {
      throw new InputException("pair corpus " + name + " holds no pairs");
    }
    List<int[]> tokens = new ArrayList<>(pairs.size());
    List<String> docs = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      Pair p = pairs.get(i);
      int[] prompt = tokenizer.encode(p.prompt());
      int[] response = tokenizer.encode(p.response());
      if (contains(prompt, sep) || contains(response, sep)) {
        throw new InputException("pair corpus " + name + ", pair " + (i + 1) + ": its text"
            + " holds the separator " + dev.diffulab.core.text.SpecialTokens.SEP);
      }
      int need = prompt.length + response.length + 2;
      if (seqLen > 0 && need > seqLen) {
        throw new InputException("pair corpus " + name + ", pair " + (i + 1) + " is " + need
            + " tokens with its separator and end, longer than model.seq_len " + seqLen
            + "; raise model.seq_len");
      }
      tokens.add(PairTokens.row(prompt, response, sep, seqLen));
      docs.add(p.prompt() + " → " + p.response());
    }
    CorpusStats stats = CorpusStats.of(tokens, tokenizer.unkId(), tokenizer.vocabSize());
    return new LoadedCorpus(name, false, List.copyOf(docs), tokens, stats, hash(docs),
        List.copyOf(pairs));
  }

  private static boolean contains(int[] ids, int id) {
    for (int x : ids) {
      if (x == id) {
        return true;
      }
    }
    return false;
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
