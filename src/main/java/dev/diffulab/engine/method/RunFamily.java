package dev.diffulab.engine.method;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.StoryLengths;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.SamplePreview;
import dev.diffulab.core.metrics.DistributionMatch;
import dev.diffulab.core.metrics.StoryMatch;
import dev.diffulab.core.tinytales.TinyTalesValidator;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** What both families are given by the run that hosts them. */
abstract class RunFamily implements Family {
  protected final EngineContext ctx;
  protected final String runId;
  protected final RunConfig config;
  protected final DenoiserModel<?> model;
  protected final TextTokenizer tok;
  protected final LoadedCorpus corpus;
  protected final List<int[]> validation;
  /** How many training documents have each length, for drawing sample lengths. */
  protected final int[] lengths;

  RunFamily(EngineContext ctx, String runId, RunConfig config, DenoiserModel<?> model,
      TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation, int[] lengths) {
    this.ctx = ctx;
    this.runId = runId;
    this.config = config;
    this.model = model;
    this.tok = tok;
    this.corpus = corpus;
    this.validation = validation;
    this.lengths = lengths;
  }

  /** Corpus stories whose facts stand for the corpus in previews (drawn once, seeded). */
  static final int REFERENCE_STORIES = 2000;
  private List<dev.diffulab.core.tinytales.StoryFacts> reference;

  /**
   * The preview of {@code traces}: for TinyTales, each sample marked by the validator, and the
   * worst attribute distance of the valid ones to the corpus.
   */
  SamplePreview preview(int step, List<DenoiseTrace> traces) {
    List<String> texts = traces.stream().map(DenoiseTrace::finalText).toList();
    if (!corpus.tinyTales()) {
      return new SamplePreview(runId, step, texts, null, null);
    }
    List<String> errors = new ArrayList<>();
    TinyTalesValidator v = new TinyTalesValidator();
    texts.forEach(x -> errors.add(v.validate(x).firstError()));
    if (reference == null) {
      reference = StoryMatch.facts(DistributionMatch.draw(corpus.documents(), REFERENCE_STORIES,
          config.seed()));
    }
    List<dev.diffulab.core.tinytales.StoryFacts> samples = StoryMatch.facts(texts);
    SamplePreview.Match match = null;
    if (!samples.isEmpty()) {
      StoryMatch m = StoryMatch.of(samples, reference, config.seed());
      match = new SamplePreview.Match(m.worst(), m.worstDistance(), m.floor().get(m.worst()));
    }
    return new SamplePreview(runId, step, texts, errors, match);
  }

  /** Held-out prompts a pair run answers at every evaluation and preview. */
  static final int PAIR_PREVIEW_PROMPTS = 64;

  /**
   * A pair run's preview: held-out prompts answered by the model as it stands (one sample each),
   * every answer graded ({@code errors}: null when exactly right, else what was wanted), the
   * exact share put in {@code metrics} as {@code val_exact_accuracy} when given and published as
   * an {@link dev.diffulab.core.snapshot.AccuracyPoint}.
   */
  void answerPreview(int step, Map<String, Double> metrics) {
    if (validation.isEmpty()) {
      return;
    }
    LoadedModel live = new LoadedModel(config, tok, model, null, extras());
    PairEvaluation.Result r = PairEvaluation
        .run(live, config.sampler(), validation, PAIR_PREVIEW_PROMPTS, 1, config.seed() + step,
            ctx, null);
    List<String> texts = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (var a : r.answers()) {
      texts.add(a.prompt() + " → " + a.answer());
      errors.add(a.exact() ? null : "the answer is " + a.reference());
    }
    if (metrics != null) {
      metrics.put("val_exact_accuracy", r.exact());
      if (!Double.isNaN(r.partialShare())) {
        metrics.put("val_" + r.partsName(), r.partialShare());
      }
    }
    ctx.publish(new dev.diffulab.core.snapshot.AccuracyPoint(runId, step, r.exact(),
        r.partialShare(), r.answers().size()));
    ctx.publish(new SamplePreview(runId, step, texts, errors, null,
        SamplePreview.Kind.ANSWERS));
  }

  /** Whether the evaluation at {@code step} already answered (and published) the prompts. */
  boolean evaluatedAt(int step) {
    int every = config.train().evalEvery();
    return every > 0 && (step % every == 0 || step == config.train().steps());
  }

  /** Canvas lengths for preview samples, drawn from the training stories' lengths. */
  static int[] previewLengths(RunConfig config, int[] lengths, int step) {
    return StoryLengths.sample(lengths, config.train().previewSamples(),
        config.sampler().length(), 0, config.model().seqLen(), new Random(config.seed() + step));
  }
}
