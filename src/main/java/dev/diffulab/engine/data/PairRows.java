package dev.diffulab.engine.data;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.pairs.PairTokens;
import dev.diffulab.engine.text.TextTokenizer;

/**
 * What a run's data makes of its tokenizer: for prompt → response pairs the separator ends
 * prompts and responses, so it is the prompt's end for the noising and a token the model learns to
 * write; for plain text neither.
 */
public final class PairRows {
  private PairRows() {
  }

  /** The separator that ends a pair's prompt, or −1 when the run learns plain text. */
  public static int promptEnd(RunConfig config, TextTokenizer tok) {
    return config.data().isPairs() ? tok.sepId() : -1;
  }

  /** The ids the model may never write: special tokens, but a pair run's separator. */
  public static boolean[] forbidden(RunConfig config, TextTokenizer tok) {
    return config.data().isPairs()
        ? PairTokens.forbidden(tok.specialMask(), tok.sepId())
        : tok.specialMask();
  }
}
