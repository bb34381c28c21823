package dev.diffulab.engine.method;

import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.pairs.Multiplication;
import dev.diffulab.core.pairs.Pair;
import dev.diffulab.core.pairs.PairTokens;
import dev.diffulab.core.pairs.Tasks;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.engine.runtime.EngineContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * How well a pair model answers held-out prompts: each prompt answered {@code k} times, the final
 * answer chosen by majority vote (self-consistency; k = 1 is a single sample), graded exactly by the
 * task's grader — for multiplication the product and the share of right partial products. Answers
 * per second count prompts answered (all k samples of each) per second of sampling.
 */
public final class PairEvaluation {
  /** Prompts answered in one batch (times k samples each). */
  static final int CHUNK = 64;

  private PairEvaluation() {
  }

  /**
   * One prompt's outcome.
   *
   * @param answer the response chosen by the vote
   * @param votes how many of the k samples gave its final answer
   */
  public record Answer(String prompt, String reference, String answer, boolean exact,
      double partialShare, int votes) {
  }

  /**
   * @param exact share of prompts whose voted answer is exactly right
   * @param partialShare mean share of right partial products (chain-of-thought tasks), else NaN
   * @param settings how the answers were sampled, as their traces say
   */
  public record Result(int k, boolean multiPass, double exact, double partialShare,
      String partsName, double seconds, List<Answer> answers, String settings) {
    public double answersPerSecond() {
      return seconds > 0 ? answers.size() / seconds : Double.NaN;
    }

    /** The figures an {@code evaluate} report and a run's metrics carry. */
    public Map<String, Object> report() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("prompts", answers.size());
      r.put("self_consistency_k", k);
      r.put("passes", multiPass ? "one thought a pass" : "single");
      r.put("exact_accuracy", exact);
      if (!Double.isNaN(partialShare)) {
        r.put(partsName, partialShare);
      }
      r.put("answers_per_s", answersPerSecond());
      return r;
    }
  }

  /**
   * Answers the prompts of {@code rows} (pair rows as a run holds them: prompt, separator,
   * response, end tokens), at most {@code limit} of them.
   */
  public static Result run(LoadedModel lm, SamplerConfig sampler, List<int[]> rows, int limit,
      int k, long seed, EngineContext ctx, BiConsumer<Integer, Integer> progress) {
    return run(lm, sampler, rows, limit, k, false, seed, ctx, progress);
  }

  /** As above; {@code multiPass} answers thought by thought ({@link DiffusionOfThought}). */
  public static Result run(LoadedModel lm, SamplerConfig sampler, List<int[]> rows, int limit,
      int k, boolean multiPass, long seed, EngineContext ctx,
      BiConsumer<Integer, Integer> progress) {
    if (k < 1) {
      throw new IllegalArgumentException("self-consistency needs k ≥ 1, not " + k);
    }
    var tok = lm.tokenizer();
    int sep = tok.sepId();
    int length = lm.config().model().seqLen();
    Tasks.Grader grader = Tasks.grader(lm.config().data().corpus());
    int n = Math.min(limit, rows.size());
    List<Answer> answers = new ArrayList<>();
    double seconds = 0;
    String settings = "";
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      List<int[]> prompts = new ArrayList<>();
      for (int i = from; i < to; i++) {
        int[] row = rows.get(i);
        int[] prompt = java.util.Arrays.copyOf(row, PairTokens.promptLength(row, sep));
        for (int j = 0; j < k; j++) {
          prompts.add(prompt);
        }
      }
      long t0 = System.nanoTime();
      List<DenoiseTrace> traces = DiffusionOfThought.answer(lm, sampler, prompts, length,
          seed + from, ctx, multiPass);
      seconds += (System.nanoTime() - t0) / 1e9;
      if (!traces.isEmpty()) {
        settings = traces.getFirst().settings();
      }
      for (int i = from; i < to; i++) {
        int[] row = rows.get(i);
        int promptLength = PairTokens.promptLength(row, sep);
        String prompt = tok.decode(java.util.Arrays.copyOf(row, promptLength));
        String reference = tok.decode(PairTokens.response(row, promptLength, sep));
        List<String> texts = new ArrayList<>();
        for (int j = 0; j < k; j++) {
          int[] canvas = traces.get((i - from) * k + j).last().tokens();
          texts.add(tok.decode(PairTokens.response(canvas, promptLength, sep)));
        }
        answers.add(vote(grader, prompt, reference, texts));
      }
      if (progress != null) {
        progress.accept(to, n);
      }
    }
    double exact = answers.stream().filter(Answer::exact).count() / (double) Math.max(1, n);
    double partial = grader.gradesChain()
        ? answers.stream().mapToDouble(Answer::partialShare).average().orElse(0)
        : Double.NaN;
    return new Result(k, multiPass, exact, partial, grader.partsName(), seconds, answers,
        settings);
  }

  /**
   * The majority answer of {@code texts} (by final answer; a tie goes to the one given first),
   * graded.
   */
  static Answer vote(Tasks.Grader grader, String prompt, String reference, List<String> texts) {
    Map<String, Integer> count = new LinkedHashMap<>();
    for (String t : texts) {
      count.merge(Tasks.normalise(Pair.finalAnswer(t)), 1, Integer::sum);
    }
    String best = null;
    int most = 0;
    for (var e : count.entrySet()) {
      if (e.getValue() > most) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    String chosen = texts.getFirst();
    for (String t : texts) {
      if (Tasks.normalise(Pair.finalAnswer(t)).equals(best)) {
        chosen = t;
        break;
      }
    }
    Multiplication.Grade g = grader.grade(prompt, reference, chosen);
    return new Answer(prompt, reference, chosen, g.exact(), g.partialShare(), most);
  }
}
