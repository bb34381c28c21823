package dev.diffulab.core.pairs;

/**
 * One example of a conditional task: the prompt the model is given and the response it should
 * write. Both are non-empty.
 */
public record Pair(String prompt, String response) {
  /** The marker before a final answer (GSM8K's, and the multiplication task's). */
  public static final String ANSWER = "####";

  public Pair {
    if (prompt == null || prompt.isBlank() || response == null || response.isBlank()) {
      throw new IllegalArgumentException("a pair needs a prompt and a response");
    }
  }

  /**
   * The final answer: what follows the last {@value #ANSWER}, trimmed, with thousands commas
   * removed (GSM8K writes "#### 1,200"); the whole response when there is no marker.
   */
  public String finalAnswer() {
    return finalAnswer(response);
  }

  /**
   * As {@link #finalAnswer()}, for any response text. A marker a tokenizer's decoder wrote with
   * spaces between its signs ({@code "# # # #"}, as BERT-style decoders join punctuation) counts.
   */
  public static String finalAnswer(String response) {
    response = joinMarkers(response);
    int at = response.lastIndexOf(ANSWER);
    String tail = at < 0 ? response : response.substring(at + ANSWER.length());
    return tail.trim().replace(",", "");
  }

  /** {@code response} with every spaced-out answer marker ({@code "# # # #"}) written whole. */
  public static String joinMarkers(String response) {
    return response.replaceAll("#[ \\t]*#[ \\t]*#[ \\t]*#", ANSWER);
  }
}
