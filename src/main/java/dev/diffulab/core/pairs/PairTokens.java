package dev.diffulab.core.pairs;

import java.util.Arrays;

/**
 * How a prompt → response pair is laid out as one token row, the same way for training and
 * sampling: the prompt's ids, a separator, the response's ids, then the separator again as the end
 * of the response, repeated to the row's length. Everything up to the first separator is the
 * prompt, which no family ever noises; everything after it is the response, the end tokens
 * included: a model learns where a response ends as it learns the words (LLaDA's padding with end
 * tokens), so sampling fills a fixed canvas and the answer is what comes before the first end.
 */
public final class PairTokens {
  private PairTokens() {
  }

  /**
   * The row of a pair, {@code length} tokens long (at least the pair and one end token); with
   * {@code length} 0 the pair and one end token only.
   *
   * @throws IllegalArgumentException when the pair does not fit
   */
  public static int[] row(int[] prompt, int[] response, int sep, int length) {
    int need = prompt.length + 1 + response.length + 1;
    int size = length == 0 ? need : length;
    if (need > size) {
      throw new IllegalArgumentException("a pair of " + need + " tokens does not fit "
          + length);
    }
    int[] out = new int[size];
    Arrays.fill(out, sep);
    System.arraycopy(prompt, 0, out, 0, prompt.length);
    System.arraycopy(response, 0, out, prompt.length + 1, response.length);
    return out;
  }

  /** The row that asks for an answer to {@code prompt}: its ids and the separator. */
  public static int[] prompt(int[] prompt, int sep) {
    int[] out = Arrays.copyOf(prompt, prompt.length + 1);
    out[prompt.length] = sep;
    return out;
  }

  /** How many leading tokens of {@code row} are the prompt (with its separator); 0 if none. */
  public static int promptLength(int[] row, int sep) {
    return promptLength(row, 0, row.length, sep);
  }

  /** As above, for the document at {@code [from, to)} of a longer row. */
  public static int promptLength(int[] row, int from, int to, int sep) {
    for (int j = from; j < to; j++) {
      if (row[j] == sep) {
        return j - from + 1;
      }
    }
    return 0;
  }

  /**
   * Which positions of a batch are a prompt, given and never noised or scored: in every document
   * (a run of one nonzero {@code segment} value; 0 is padding) its tokens up to and including its
   * first {@code sep}. With {@code sep} −1 (plain text) none are.
   */
  public static boolean[][] prompts(int[][] tokens, int[][] segment, int sep) {
    boolean[][] out = new boolean[tokens.length][];
    for (int b = 0; b < tokens.length; b++) {
      out[b] = new boolean[tokens[b].length];
      boolean prompt = false;
      for (int j = 0; j < tokens[b].length; j++) {
        if (segment[b][j] == 0) {
          continue;
        }
        if (j == 0 || segment[b][j] != segment[b][j - 1]) {
          prompt = sep >= 0; // a document starts
        }
        out[b][j] = prompt;
        if (tokens[b][j] == sep) {
          prompt = false; // the separator is the prompt's last token
        }
      }
    }
    return out;
  }

  /** The response's ids in {@code row} after a prompt of {@code promptLength}: up to the end. */
  public static int[] response(int[] row, int promptLength, int sep) {
    int end = promptLength;
    while (end < row.length && row[end] != sep) {
      end++;
    }
    return Arrays.copyOfRange(row, promptLength, end);
  }

  /**
   * Which ids a pair model may never write: the tokenizer's special tokens but the separator,
   * which ends a response.
   */
  public static boolean[] forbidden(boolean[] special, int sep) {
    boolean[] out = special.clone();
    if (sep >= 0 && sep < out.length) {
      out[sep] = false;
    }
    return out;
  }

  /**
   * Token strings as text, the way a WordPiece decoder joins them: spaces between tokens,
   * {@code ##} pieces joined to the one before; bracketed special tokens left out. For views that
   * hold a trace's vocabulary, not a tokenizer.
   */
  public static String text(java.util.List<String> vocab, int[] ids) {
    StringBuilder out = new StringBuilder();
    for (int id : ids) {
      String t = id >= 0 && id < vocab.size() ? vocab.get(id) : "";
      if (t.isEmpty() || (t.startsWith("[") && t.endsWith("]"))) {
        continue;
      }
      if (t.startsWith("##")) {
        out.append(t, 2, t.length());
      } else {
        out.append(out.isEmpty() ? "" : " ").append(t);
      }
    }
    return out.toString();
  }

  /** The response a trace's canvas holds after its prompt: up to the first separator. */
  public static int[] response(java.util.List<String> vocab, int[] canvas, int promptLength) {
    int sep = vocab.indexOf(dev.diffulab.core.text.SpecialTokens.SEP);
    return response(canvas, promptLength, sep);
  }
}
