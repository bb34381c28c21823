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

  /** Canvas lengths for preview samples, drawn from the training stories' lengths. */
  static int[] previewLengths(RunConfig config, int[] lengths, int step) {
    return StoryLengths.sample(lengths, config.train().previewSamples(),
        config.sampler().length(), 0, config.model().seqLen(), new Random(config.seed() + step));
  }
}
