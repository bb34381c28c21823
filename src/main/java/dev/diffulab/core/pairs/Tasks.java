package dev.diffulab.core.pairs;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in generated tasks a config names as its corpus: {@code multiplication-NxM} (n- by
 * m-digit products with the chain of partial products) and {@code multiplication-NxM-nochain}
 * (the product alone). Each knows how to write its problems and how to grade an answer exactly.
 */
public final class Tasks {
  /** The prefix of every multiplication task name. */
  public static final String MULTIPLICATION = "multiplication-";
  private static final Pattern SPEC = Pattern.compile(
      "multiplication-(\\d{1,2})x(\\d{1,2})(-nochain)?");

  /** What a task name says: the digits of both factors and whether the chain is written. */
  public record Spec(int n, int m, boolean chain) {
    public String name() {
      return MULTIPLICATION + n + "x" + m + (chain ? "" : "-nochain");
    }
  }

  private Tasks() {
  }

  /**
   * The story → one-sentence summary task: TinyTales stories with summaries written from their
   * parsed facts, graded fact by fact ({@link dev.diffulab.core.tinytales.StorySummaries}).
   */
  public static final String SUMMARIES = "tinytales-summaries";

  /** Whether {@code corpus} names a built-in task (well-formed or not). */
  public static boolean isTask(String corpus) {
    return corpus != null && (corpus.startsWith(MULTIPLICATION) || corpus.equals(SUMMARIES));
  }

  /** What is wrong with a task name, or null when it is one. */
  public static String problem(String corpus) {
    if (SUMMARIES.equals(corpus)) {
      return null;
    }
    Matcher mt = SPEC.matcher(corpus);
    if (!mt.matches()) {
      return "\"" + corpus + "\" is not a built-in task; write multiplication-NxM or"
          + " multiplication-NxM-nochain (e.g. multiplication-4x4)";
    }
    int n = Integer.parseInt(mt.group(1));
    int m = Integer.parseInt(mt.group(2));
    if (n < 1 || m < 1 || n > 9 || m > 9) {
      return "\"" + corpus + "\": each factor has 1 to 9 digits";
    }
    return null;
  }

  /** The spec of a well-formed task name. */
  public static Spec spec(String corpus) {
    String problem = problem(corpus);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Matcher mt = SPEC.matcher(corpus);
    mt.matches();
    return new Spec(Integer.parseInt(mt.group(1)), Integer.parseInt(mt.group(2)),
        mt.group(3) == null);
  }

  /** {@code count} distinct problems of the task, drawn from {@code seed}. */
  public static List<Pair> generate(String corpus, int count, long seed) {
    if (SUMMARIES.equals(corpus)) {
      return dev.diffulab.core.tinytales.StorySummaries.pairs(count, seed).stream()
          .map(x -> new Pair(x.story(), x.summary())).toList();
    }
    Spec s = spec(corpus);
    return Multiplication.generate(s.n(), s.m(), s.chain(), count, seed);
  }

  /** Grades answers to a task's prompts, or to any pair corpus's. */
  public interface Grader {
    /**
     * @param reference the corpus's response to {@code prompt}
     * @param answer what the model wrote
     */
    Multiplication.Grade grade(String prompt, String reference, String answer);

    /** Whether its grades count parts (partial products of the chain, or facts). */
    boolean gradesChain();

    /** What an evaluation report calls the share of right parts. */
    default String partsName() {
      return "partial_product_share";
    }
  }

  /**
   * The grader for a corpus: the multiplication task's own (the product checked, the partial
   * products counted), the summaries' (every fact right), or for any other pairs exact match of
   * the final answer (after the last {@value Pair#ANSWER}, or the whole response) with the
   * reference's, and ROUGE-L's F1 of the whole response as its parts.
   */
  public static Grader grader(String corpus) {
    if (SUMMARIES.equals(corpus)) {
      return new Grader() {
        @Override
        public Multiplication.Grade grade(String prompt, String reference, String answer) {
          // without a reference (a story typed in the window) the story's own summary is it
          String want = reference == null || reference.isBlank()
              ? dev.diffulab.core.tinytales.StorySummaries.summary(
                  prompt.replaceAll(" ([,.!?])", "$1")).orElse("")
              : reference;
          var g = dev.diffulab.core.tinytales.StorySummaries.grade(want, answer);
          // right facts over every fact stated or due: missing and invented ones both count
          return new Multiplication.Grade(g.allRight(), g.right(),
              g.expected() + g.stated() - g.right());
        }

        @Override
        public boolean gradesChain() {
          return true;
        }

        @Override
        public String partsName() {
          return "fact_share";
        }
      };
    }
    if (isTask(corpus) && problem(corpus) == null) {
      boolean chain = spec(corpus).chain();
      return new Grader() {
        @Override
        public Multiplication.Grade grade(String prompt, String reference, String answer) {
          return Multiplication.grade(prompt, answer);
        }

        @Override
        public boolean gradesChain() {
          return chain;
        }
      };
    }
    return new Grader() {
      @Override
      public Multiplication.Grade grade(String prompt, String reference, String answer) {
        String want = normalise(Pair.finalAnswer(reference));
        String got = normalise(Pair.finalAnswer(answer));
        // the parts: ROUGE-L's F1 as a ratio of counts, 2·LCS over both texts' words
        RougeL.Score rouge = RougeL.score(reference, answer);
        return new Multiplication.Grade(!want.isEmpty() && want.equals(got), 2 * rouge.common(),
            rouge.referenceWords() + rouge.candidateWords());
      }

      @Override
      public boolean gradesChain() {
        return true;
      }

      @Override
      public String partsName() {
        return "rouge_l";
      }
    };
  }

  /** Whitespace collapsed, for comparing answers written by different tokenizers' decoders. */
  public static String normalise(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  /**
   * The tokens that end one thought of a response, for answering thought by thought: a partial
   * product's {@code +} for multiplication, a sentence's {@code .} for other pairs.
   */
  public static java.util.Set<String> thoughtEnds(String corpus) {
    return isTask(corpus) && !SUMMARIES.equals(corpus)
        ? java.util.Set.of("+")
        : java.util.Set.of(".");
  }
}
