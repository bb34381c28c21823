package dev.diffulab.core.pairs;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The built-in reasoning task: multiply an n-digit by an m-digit number, in the format of the
 * implicit chain-of-thought work that Diffusion of Thought trains on (Deng et al. 2023): every
 * number written with its digits reversed (least significant first) and spaced, so a model adds
 * from the units up. Prompt {@code "a₀ a₁ … * b₀ b₁ …"}; with the chain of thought the response
 * is the partial products a · b_j · 10^j (each n + 1 + j digits) joined by {@code +}, the running
 * sum in parentheses after each from the second to the last but one, then {@code ####} and the
 * product (n + m digits), which is the last running sum; without it, {@code ####} and the product
 * alone.
 *
 * <p>The last sum is not written twice, as in the published data: a copy of the answer beside the
 * answer lets a masked model restore either from the other, and it then never learns the addition
 * (measured on 2×2: with the copy, the sum and answer digits both hidden came back 56 % right while
 * either alone came back 100 %, and 3 % of sampled answers were right).
 *
 * <p>Example, 12 × 34 with the chain: prompt {@code "2 1 * 4 3"}, response {@code "8 4 0 + 0 6 3
 * 0 #### 8 0 4 0"} (48 + 360 = 408); 123 × 456: {@code "8 3 7 0 + 0 5 1 6 0 ( 8 8 8 6 0 ) + 0 0 2
 * 9 4 0 #### 8 8 0 6 5 0"}.
 */
public final class Multiplication {
  /** How an answer was graded: the product exactly, and the share of right partial products. */
  public record Grade(boolean exact, int partialsRight, int partials) {
    public double partialShare() {
      return partials == 0 ? 0 : (double) partialsRight / partials;
    }
  }

  private Multiplication() {
  }

  /**
   * {@code count} distinct problems of {@code n}- by {@code m}-digit numbers (no leading zero),
   * drawn from {@code seed}; fewer when the space holds fewer.
   */
  public static List<Pair> generate(int n, int m, boolean chain, int count, long seed) {
    if (n < 1 || m < 1 || n > 18 || m > 18) {
      throw new IllegalArgumentException("digits must be 1–18, not " + n + "×" + m);
    }
    Random r = new Random(seed);
    Set<String> seen = new LinkedHashSet<>();
    List<Pair> out = new ArrayList<>();
    double space = 0.9 * Math.pow(10, n) * 0.9 * Math.pow(10, m);
    int want = (int) Math.min(count, space);
    int tries = 0;
    while (out.size() < want && tries++ < 50L * want + 1000) {
      long a = draw(n, r);
      long b = draw(m, r);
      Pair p = pair(a, b, n, m, chain);
      if (seen.add(p.prompt())) {
        out.add(p);
      }
    }
    return out;
  }

  private static long draw(int digits, Random r) {
    long lo = (long) Math.pow(10, digits - 1);
    long span = 9 * lo;
    return lo + (long) Math.floor(r.nextDouble() * span);
  }

  /** The pair for a × b (a of n digits, b of m). */
  public static Pair pair(long a, long b, int n, int m, boolean chain) {
    String prompt = reversed(BigInteger.valueOf(a), n) + " * " + reversed(BigInteger.valueOf(b),
        m);
    BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
    StringBuilder response = new StringBuilder();
    if (chain) {
      List<BigInteger> partials = partials(a, b, m);
      BigInteger sum = BigInteger.ZERO;
      for (int j = 0; j < m; j++) {
        sum = sum.add(partials.get(j));
        if (j > 0) {
          response.append(" + ");
        }
        response.append(reversed(partials.get(j), n + 1 + j));
        if (j > 0 && j < m - 1) {
          response.append(" ( ").append(reversed(sum, n + 1 + j)).append(" )");
        }
      }
      response.append(' ');
    }
    response.append(Pair.ANSWER).append(' ').append(reversed(product, n + m));
    return new Pair(prompt, response.toString());
  }

  /** a · b_j · 10^j for each digit b_j of b, units first. */
  static List<BigInteger> partials(long a, long b, int m) {
    List<BigInteger> out = new ArrayList<>();
    long rest = b;
    for (int j = 0; j < m; j++) {
      out.add(BigInteger.valueOf(a).multiply(BigInteger.valueOf(rest % 10))
          .multiply(BigInteger.TEN.pow(j)));
      rest /= 10;
    }
    return out;
  }

  /** The digits of {@code x}, least significant first, padded with zeros to {@code width}. */
  static String reversed(BigInteger x, int width) {
    String s = new StringBuilder(x.toString()).reverse().toString();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.max(width, s.length()); i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(i < s.length() ? s.charAt(i) : '0');
    }
    return out.toString();
  }

  /** The number a spaced, reversed digit string stands for; null if it is not one. */
  static BigInteger parse(String reversedDigits) {
    String digits = reversedDigits.replace(" ", "");
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return new BigInteger(new StringBuilder(digits).reverse().toString());
  }

  /**
   * Grades {@code response} for {@code prompt}: exact when the number after the last {@code ####}
   * is the product; each partial product before it (the parts between {@code +}, the sums in
   * parentheses set aside) counted right when it is a · b_j · 10^j.
   */
  public static Grade grade(String prompt, String response) {
    response = Pair.joinMarkers(response);
    String[] sides = prompt.split("\\*");
    BigInteger a = sides.length == 2 ? parse(sides[0].strip()) : null;
    BigInteger b = sides.length == 2 ? parse(sides[1].strip()) : null;
    if (a == null || b == null) {
      throw new IllegalArgumentException("not a multiplication prompt: " + prompt);
    }
    int m = sides[1].strip().replace(" ", "").length();
    BigInteger answer = parse(Pair.finalAnswer(response));
    boolean exact = response.contains(Pair.ANSWER) && a.multiply(b).equals(answer);
    int at = response.lastIndexOf(Pair.ANSWER);
    String chain = at < 0 ? "" : response.substring(0, at);
    int right = 0;
    if (!chain.isBlank()) {
      String[] parts = chain.replaceAll("\\([^)]*\\)", " ").split("\\+");
      List<BigInteger> want = partials(a.longValueExact(), b.longValueExact(), m);
      for (int j = 0; j < Math.min(parts.length, m); j++) {
        BigInteger got = parse(parts[j].strip());
        right += want.get(j).equals(got) ? 1 : 0;
      }
    }
    return new Grade(exact, right, chain.isBlank() ? 0 : m);
  }
}
