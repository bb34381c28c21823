package dev.diffulab.engine.train;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.engine.EngineContext;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.List;

/** What both families are given by the run that hosts them. */
abstract class RunFamily implements Family {
  protected final EngineContext ctx;
  protected final String runId;
  protected final RunConfig config;
  protected final DenoiserModel model;
  protected final TextTokenizer tok;
  protected final LoadedCorpus corpus;
  protected final List<int[]> validation;
  /** How many training documents have each length, for drawing sample lengths. */
  protected final int[] lengths;

  RunFamily(EngineContext ctx, String runId, RunConfig config, DenoiserModel model,
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
}
