package dev.diffulab.engine.method;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.StoryLengths;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.SamplePreview;
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

  /** Marks samples with the TinyTales validator when the corpus is TinyTales. */
  static SamplePreview previewOf(String runId, int step, List<DenoiseTrace> traces,
      LoadedCorpus corpus) {
    List<String> texts = traces.stream().map(DenoiseTrace::finalText).toList();
    List<String> errors = new ArrayList<>();
    if (corpus.tinyTales()) {
      TinyTalesValidator v = new TinyTalesValidator();
      texts.forEach(x -> errors.add(v.validate(x).firstError()));
    }
    return new SamplePreview(runId, step, texts, corpus.tinyTales() ? errors : null);
  }

  /** Canvas lengths for preview samples, drawn from the training stories' lengths. */
  static int[] previewLengths(RunConfig config, int[] lengths, int step) {
    return StoryLengths.sample(lengths, config.train().previewSamples(),
        config.sampler().length(), 0, config.model().seqLen(), new Random(config.seed() + step));
  }
}
