package dev.diffulab.core.tinytales;

import dev.diffulab.core.text.WordPieceTokenizerJson;

/**
 * The shipped TinyTales tokenizer ({@code assets/tokenizer.json}): WordPiece over the grammar's
 * lexicon, one token per word or punctuation mark, case kept (names and sentence openings are
 * capitalised), {@code [PAD] [UNK] [CLS] [SEP] [MASK]} first. {@link #json()} regenerates it byte
 * for byte; {@code diffulab corpus tokenizer --out assets/tokenizer.json} writes it.
 */
public final class TinyTalesTokenizer {
  private TinyTalesTokenizer() {
  }

  public static String json() {
    return WordPieceTokenizerJson.build(Lexicon.words(), false);
  }

  /**
   * The TinyTales vocabulary padded to {@code size} tokens with generated WordPiece entries
   * (whole words {@code qa…} and {@code ##}-pieces that never occur in TinyTales): a
   * BERT-sized vocabulary (30,522) over the same stories, to measure what the vocabulary alone
   * costs. The same size always gives the same file.
   */
  public static String json(int size) {
    java.util.List<String> words = new java.util.ArrayList<>(Lexicon.words());
    int special = WordPieceTokenizerJson.SPECIAL_TOKENS.size();
    if (size < special + words.size()) {
      throw new IllegalArgumentException("a TinyTales tokenizer needs at least "
          + (special + words.size()) + " tokens, not " + size);
    }
    for (int i = 0; special + words.size() < size; i++) {
      String stem = "q" + Integer.toString(i, 26).chars()
          .mapToObj(c -> String.valueOf((char) (Character.isDigit(c)
              ? 'a' + c - '0'
              : c + 10)))
          .collect(java.util.stream.Collectors.joining());
      words.add(i % 2 == 0 ? stem : "##" + stem);
    }
    return WordPieceTokenizerJson.build(words, false);
  }
}
