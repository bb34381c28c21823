package dev.diffulab.core.snapshot;

import java.util.List;

/**
 * A text as the current tokenizer splits it: the token strings, their ids, and for each token
 * whether it continues the previous word (a word piece such as {@code ##ing}).
 */
public record TokenizedText(long requestId, String text, List<String> tokens, int[] ids,
    boolean[] continuesWord) implements Snapshot {
  public TokenizedText {
    tokens = List.copyOf(tokens);
  }
}
