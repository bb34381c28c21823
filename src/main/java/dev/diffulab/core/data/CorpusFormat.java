package dev.diffulab.core.data;

import java.nio.file.Path;
import java.util.Locale;

/** The text formats a corpus file may have. */
public enum CorpusFormat {
  /** TinyStories: stories separated by a line {@code <|endoftext|>}. */
  TINYSTORIES,
  /** JSON Lines: one JSON object per line with a string field {@code text}. */
  JSONL,
  /** Plain text: one document per block, blocks separated by blank lines. */
  PLAIN;

  public static final String END_OF_TEXT = "<|endoftext|>";

  /** The format a file is read in: JSON Lines by name, TinyStories if the marker occurs, else plain. */
  public static CorpusFormat detect(Path file, String content) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    if (content.contains(END_OF_TEXT)) {
      return TINYSTORIES;
    }
    return PLAIN;
  }
}
