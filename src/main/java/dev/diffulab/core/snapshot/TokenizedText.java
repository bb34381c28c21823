package dev.diffulab.core.snapshot;

import java.util.List;

/**
 * A text as the current tokenizer splits it: the token strings, their ids, and for each token
 * whether it continues the previous word (a word piece such as {@code ##ing}). For a model that
 * answers, a text written {@code prompt → response} becomes the pair's row and {@code given}
 * counts its prompt and separator, which no noise touches.
 */
public record TokenizedText(long requestId, String text, List<String> tokens, int[] ids,
    boolean[] continuesWord, int given) implements Snapshot {
  /** How a text shows a prompt and its response ("2 1 * 4 3 → 8 4 0 …"), as pair corpora list. */
  public static final String ARROW = " → ";

  public TokenizedText {
    tokens = List.copyOf(tokens);
  }

  public TokenizedText(long requestId, String text, List<String> tokens, int[] ids,
      boolean[] continuesWord) {
    this(requestId, text, tokens, ids, continuesWord, 0);
  }
}
