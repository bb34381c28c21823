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
}
