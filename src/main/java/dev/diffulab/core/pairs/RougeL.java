package dev.diffulab.core.pairs;

/**
 * ROUGE-L (Lin 2004) between a reference and a candidate text: the longest common subsequence of
 * their words, as recall (of the reference's words), precision (of the candidate's) and their
 * harmonic mean F1 = 2·LCS / (|reference| + |candidate|). Words are compared lower-cased with
 * punctuation split off, so "Ball." and "ball ." are the same two words.
 */
public final class RougeL {
  private RougeL() {
  }

  /**
   * The measure's counts: the common subsequence's length and the two texts' word counts.
   */
  public record Score(int common, int referenceWords, int candidateWords) {
    public double recall() {
      return referenceWords == 0 ? 0 : (double) common / referenceWords;
    }

    public double precision() {
      return candidateWords == 0 ? 0 : (double) common / candidateWords;
    }

    /** F1: 0 when either text is empty. */
    public double f1() {
      int words = referenceWords + candidateWords;
      return words == 0 ? 0 : 2.0 * common / words;
    }
  }

  public static Score score(String reference, String candidate) {
    String[] a = words(reference);
    String[] b = words(candidate);
    return new Score(lcs(a, b), a.length, b.length);
  }

  /** Lower-cased words, punctuation marks words of their own. */
  static String[] words(String text) {
    String spaced = text.toLowerCase(java.util.Locale.ROOT).replaceAll("([\\p{Punct}])", " $1 ")
        .strip();
    return spaced.isEmpty() ? new String[0] : spaced.split("\\s+");
  }

  /** The length of the longest common subsequence, by dynamic programming over two rows. */
  static int lcs(String[] a, String[] b) {
    int[] prev = new int[b.length + 1];
    int[] cur = new int[b.length + 1];
    for (String x : a) {
      for (int j = 1; j <= b.length; j++) {
        cur[j] = x.equals(b[j - 1]) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length];
  }
}
