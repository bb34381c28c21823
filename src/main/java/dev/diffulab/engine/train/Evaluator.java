package dev.diffulab.engine.train;

import dev.diffulab.core.data.Sequences;
import dev.diffulab.core.metrics.DistributionMatch;
import dev.diffulab.core.metrics.SampleMetrics;
import dev.diffulab.core.metrics.StoryMatch;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.masked.MaskedEvaluation;
import dev.diffulab.engine.method.LoadedModel;
import dev.diffulab.engine.runtime.EngineContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything {@code evaluate} reports about a checkpoint: the held-out bound and cross-entropies
 * against the no-context baseline, the loss at each mask ratio, and the quality and variety of
 * samples drawn with the config's sampler.
 */
public final class Evaluator {
  private Evaluator() {
  }

  /** Corpus stories whose facts stand for the corpus's distribution (a seeded draw). */
  static final int CORPUS_STORIES = 5000;

  /**
   * The measures for any corpus: unigram and bigram distance to the held-out text (with the
   * distance as many training documents show), distinct-n as a ratio to as many training
   * documents, and self-BLEU beside the same training documents' own.
   */
  static void distributionMatch(List<int[]> samples, Sequences.Split split, long seed,
      Map<String, Object> r) {
    List<int[]> heldOut = split.validation().isEmpty() ? split.train() : split.validation();
    List<int[]> same = DistributionMatch.draw(split.train(), samples.size(), seed);
    for (int n = 1; n <= 2; n++) {
      var reference = DistributionMatch.ngrams(heldOut, n);
      String key = n == 1 ? "unigram_tv" : "bigram_tv";
      r.put(key, DistributionMatch.totalVariation(DistributionMatch.ngrams(samples, n),
          reference));
      r.put(key + "_floor", DistributionMatch.totalVariation(DistributionMatch.ngrams(same, n),
          reference));
    }
    for (int n = 1; n <= 3; n++) {
      r.put("distinct_" + n + "_ratio", DistributionMatch.distinctRatio(samples, split.train(), n,
          seed));
    }
    r.put("self_bleu", DistributionMatch.selfBleu(samples, 4));
    r.put("corpus_self_bleu", DistributionMatch.selfBleu(same, 4));
  }

  /** What samples are measured against, read once per checkpoint. */
  private static final class Reference {
    final Sequences.Split split;
    final boolean tinyTales;
    final Set<String> trainTexts = new HashSet<>();
    final List<dev.diffulab.core.tinytales.StoryFacts> facts;

    Reference(LoadedModel lm, LoadedCorpus corpus, Sequences.Split split, long seed) {
      this.split = split;
      this.tinyTales = corpus.tinyTales();
      // the split keeps documents whole, so samples are compared as decoded text
      split.train().forEach(d -> trainTexts.add(lm.tokenizer().decode(d).strip()));
      if (tinyTales) {
        List<String> stories = new ArrayList<>();
        DistributionMatch.draw(split.train(), CORPUS_STORIES, seed)
            .forEach(d -> stories.add(lm.tokenizer().decode(d)));
        facts = StoryMatch.facts(stories);
      } else {
        facts = List.of();
      }
    }

    /** Draws the samples and puts their measures into {@code r}; returns their texts. */
    List<String> measure(LoadedModel lm, dev.diffulab.core.config.SamplerConfig sampler,
        int numSamples, long seed, EngineContext ctx, Map<String, Object> r) {
      var tok = lm.tokenizer();
      int[] lengths = lm.drawLengths(numSamples, sampler.length(), 0, seed);
      List<DenoiseTrace> traces = lm.sample(sampler, lengths, new int[0], seed, ctx);
      List<String> texts = traces.stream().map(DenoiseTrace::finalText).toList();
      List<int[]> ids = new ArrayList<>();
      texts.forEach(t -> ids.add(tok.encode(t)));
      r.put("num_samples", numSamples);
      r.put("sampler", traces.getFirst().settings());
      r.put("sample_entropy", SampleMetrics.tokenEntropy(ids));
      r.put("distinct_2", SampleMetrics.distinct(ids, 2));
      r.put("distinct_3", SampleMetrics.distinct(ids, 3));
      distributionMatch(ids, split, seed, r);
      r.put("copy_fraction", (double) texts.stream().filter(t -> trainTexts.contains(t.strip()))
          .count() / Math.max(1, texts.size()));
      if (tinyTales) {
        SampleMetrics.Validity v = SampleMetrics.validity(texts, trainTexts);
        r.put("valid_fraction", v.validFraction());
        r.put("unique_valid_fraction", v.uniqueValidFraction());
        r.put("first_errors", v.firstErrors());
        StoryMatch m = StoryMatch.of(StoryMatch.facts(texts), facts, seed);
        r.put("attribute_tv", m.distance());
        r.put("attribute_tv_floor", m.floor());
        r.put("worst_attribute", m.worst());
        r.put("worst_attribute_tv", m.worstDistance());
      }
      return texts;
    }
  }

  /**
   * A quality–diversity sweep: the samples of every point measured as {@code evaluate} measures
   * them (same seed), one row per point with its label; {@code progress} hears (done, points).
   */
  public static List<Map<String, Object>> sweep(LoadedModel lm,
      List<dev.diffulab.core.config.SweepGrid.Point> points, int numSamples, long seed,
      EngineContext ctx, java.util.function.BiConsumer<Integer, Integer> progress) {
    var config = lm.config();
    LoadedCorpus corpus = LoadedCorpus.load(config.data(), config.seed(), lm.tokenizer());
    Sequences.Split split = Sequences.split(corpus.tokens(), config.data().validationFraction(),
        config.seed());
    Reference ref = new Reference(lm, corpus, split, seed);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (var p : points) {
      ctx.checkCancelled("sweep");
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("label", p.label());
      ref.measure(lm, p.sampler(), numSamples, seed, ctx, r);
      r.remove("first_errors");
      rows.add(r);
      progress.accept(rows.size(), points.size());
    }
    return rows;
  }

  public static Map<String, Object> evaluate(LoadedModel lm, int numSamples, long seed,
      EngineContext ctx) {
    return evaluate(lm, lm.config().sampler(), numSamples, seed, ctx);
  }

  /** As above, sampling with {@code sampler} instead of the checkpoint's own settings. */
  public static Map<String, Object> evaluate(LoadedModel lm,
      dev.diffulab.core.config.SamplerConfig sampler, int numSamples, long seed,
      EngineContext ctx) {
    return evaluate(lm, sampler, numSamples, 1, seed, ctx);
  }

  /**
   * As above; a pair model (prompt → response) answers {@code numSamples} held-out prompts
   * instead, each {@code k} times with a majority vote ({@link PairEvaluation}), graded exactly.
   */
  public static Map<String, Object> evaluate(LoadedModel lm,
      dev.diffulab.core.config.SamplerConfig sampler, int numSamples, int k, long seed,
      EngineContext ctx) {
    return evaluate(lm, sampler, numSamples, k, false, seed, ctx);
  }

  /** As above; {@code multiPass} has a pair model answer thought by thought. */
  public static Map<String, Object> evaluate(LoadedModel lm,
      dev.diffulab.core.config.SamplerConfig sampler, int numSamples, int k, boolean multiPass,
      long seed, EngineContext ctx) {
    var config = lm.config();
    var tok = lm.tokenizer();
    if (config.data().isPairs()) {
      return pairs(lm, HeldOut.of(lm), sampler, numSamples, k, multiPass, seed, ctx);
    }
    LoadedCorpus corpus = LoadedCorpus.load(config.data(), config.seed(), tok);
    Sequences.Split split = Sequences.split(corpus.tokens(), config.data().validationFraction(),
        config.seed());
    int seqLen = config.model().seqLen();
    List<int[]> train = Sequences.pad(split.train(), seqLen, tok.padId());
    List<int[]> val = Sequences.pad(split.validation().subList(0,
        Math.min(512, split.validation().size())), seqLen, tok.padId());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("method", config.method().id());
    r.put("step", lm.manifest().step());
    r.put("data_hash_matches", corpus.dataHash().equals(lm.manifest().dataHash()));
    if (!val.isEmpty()) {
      r.put("position_unigram_ce_nats", MaskedEvaluation.positionUnigramCe(train, val,
          tok.vocabSize(), tok.padId()));
      r.put("unigram_entropy_nats", corpus.stats().unigramEntropyNats());
      lm.method().evaluate(lm, val, seed, r);
    }
    r.put("train_tokens_per_s", lm.manifest().metrics().getOrDefault("train_tokens_per_s",
        Double.NaN));
    Reference ref = new Reference(lm, corpus, split, seed);
    List<String> texts = ref.measure(lm, sampler, numSamples, seed, ctx, r);
    r.put("samples", texts.subList(0, Math.min(8, texts.size())));
    return r;
  }

  /**
   * How many denoising steps a pair model's answers need: {@code prompts} held-out prompts
   * answered with {@code sampler} at each of {@code steps}, one row each (steps, exact accuracy,
   * the share of right parts where the task has them, answers a second). The autoregressive
   * baseline writes one token a step whatever it is told: one row, its steps 0. {@code progress}
   * hears (done, rows).
   */
  public static List<Map<String, Object>> accuracyBySteps(LoadedModel lm,
      dev.diffulab.core.config.SamplerConfig sampler, int[] steps, int prompts,
      dev.diffulab.core.pairs.Answering answering, long seed, EngineContext ctx,
      java.util.function.BiConsumer<Integer, Integer> progress) {
    if (!lm.answers()) {
      throw new dev.diffulab.core.InputException("accuracy by steps is for a model that answers"
          + " prompts; this one writes " + lm.config().data().corpus() + " text");
    }
    boolean oneEach = lm.config().method().oneTokenAStep();
    int[] todo = oneEach ? new int[]{0} : steps.clone();
    int seqLen = lm.config().model().seqLen();
    HeldOut held = HeldOut.of(lm); // the same prompts for every step count, read once
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int n : todo) {
      if (!oneEach && n < 1) {
        throw new dev.diffulab.core.InputException("step counts are 1 or more, not " + n);
      }
      ctx.checkCancelled("accuracy by steps");
      var at = oneEach ? sampler : sampler.with("steps", String.valueOf(n), seqLen, "steps");
      var r = pairs(lm, held, at, prompts, answering.votes(), answering.multiPass(), seed, ctx);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("steps", n);
      row.put("exact_accuracy", r.get("exact_accuracy"));
      for (String parts : new String[]{"partial_product_share", "fact_share"}) {
        if (r.containsKey(parts)) {
          row.put(parts, r.get(parts));
        }
      }
      row.put("answers_per_s", r.get("answers_per_s"));
      rows.add(row);
      if (progress != null) {
        progress.accept(rows.size(), todo.length);
      }
    }
    return rows;
  }

  /** A pair model's corpus, read as it trained on it, and its held-out split. */
  public record HeldOut(LoadedCorpus corpus, Sequences.Split split) {
    /** The corpus and split of {@code lm}'s own training run. */
    public static HeldOut of(LoadedModel lm) {
      var config = lm.config();
      LoadedCorpus corpus = LoadedCorpus.load(config.data(), config.model().seqLen(),
          config.seed(), lm.tokenizer());
      return new HeldOut(corpus, TrainingRun.split(corpus, config));
    }
  }

  /** {@link #evaluate} of a pair model: the held-out prompts answered and graded. */
  private static Map<String, Object> pairs(LoadedModel lm, HeldOut held,
      dev.diffulab.core.config.SamplerConfig sampler, int prompts, int k, boolean multiPass,
      long seed, EngineContext ctx) {
    var config = lm.config();
    LoadedCorpus corpus = held.corpus();
    Sequences.Split split = held.split();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("method", config.method().id());
    r.put("step", lm.manifest().step());
    r.put("data_hash_matches", corpus.dataHash().equals(lm.manifest().dataHash()));
    r.put("parameters", lm.manifest().parameters());
    r.put("train_seconds", lm.manifest().trainSeconds());
    r.put("held_out_prompts", split.validation().size());
    var result = dev.diffulab.engine.method.PairEvaluation.run(lm, sampler, split.validation(),
        prompts, k, multiPass, seed, ctx, null);
    r.putAll(result.report());
    // how the answers were sampled, as their traces say: each family in its own words (a
    // causal decoder left to right, a latent by DDIM), not the masked sampler's
    r.put("sampler", result.settings().isEmpty()
        ? dev.diffulab.engine.masked.MaskedSampler.describe(sampler)
        : result.settings());
    List<String> shown = new ArrayList<>();
    for (var a : result.answers().subList(0, Math.min(8, result.answers().size()))) {
      shown.add(a.prompt() + " → " + a.answer() + (a.exact()
          ? "  ✓"
          : "  ✗ (want "
              + a.reference() + ")"));
    }
    r.put("samples", shown);
    return r;
  }
}
