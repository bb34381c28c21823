package dev.diffulab.engine;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.DataConfig;
import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.method.LoadedModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;

/**
 * What the app has open — tokenizer and corpus — kept on the engine thread, which owns the
 * tokenizer's native handle. Every method must run there.
 */
public final class Workbench implements AutoCloseable {
  private DataConfig data = new DataConfig(DataConfig.TINYTALES, DataConfig.TINYTALES, 20000, 0.05,
      false, 1);
  private long seed = 42;
  private TextTokenizer tokenizer;
  private LoadedCorpus corpus;
  private LoadedModel model;
  private LoadedModel compareModel;

  public TextTokenizer tokenizer() {
    if (tokenizer == null) {
      tokenizer = TextTokenizer.named(data.tokenizer());
    }
    return tokenizer;
  }

  public LoadedCorpus corpus() {
    if (corpus == null) {
      corpus = LoadedCorpus.load(data, seed, tokenizer());
    }
    return corpus;
  }

  public DataConfig data() {
    return data;
  }

  /**
   * Uses the corpus and tokenizer a run config's data section names (TinyTales at its story count
   * and seed) and returns their statistics. If either cannot be read, what was open stays open.
   */
  public CorpusSnapshot useData(DataConfig next, long nextSeed) {
    boolean sameTokenizer = tokenizer != null && next.tokenizer().equals(data.tokenizer());
    TextTokenizer nextTokenizer = sameTokenizer ? tokenizer : TextTokenizer.named(next.tokenizer());
    LoadedCorpus loaded;
    try {
      loaded = LoadedCorpus.load(next, nextSeed, nextTokenizer);
    } catch (RuntimeException e) {
      if (!sameTokenizer) {
        nextTokenizer.close();
      }
      throw e;
    }
    if (!sameTokenizer && tokenizer != null) {
      tokenizer.close();
    }
    tokenizer = nextTokenizer;
    data = next;
    seed = nextSeed;
    corpus = loaded;
    return snapshot();
  }

  public CorpusSnapshot snapshot() {
    return corpus().snapshot(tokenizerName());
  }

  public String tokenizerName() {
    return data.tokenizer().equals(DataConfig.TINYTALES)
        ? "TinyTales (shipped)"
        : Path.of(data.tokenizer()).getFileName().toString();
  }

  /** Opens a checkpoint as the model of the Masking and Denoise workspaces. */
  public dev.diffulab.core.snapshot.ModelSnapshot useCheckpoint(Path given, NDManager manager) {
    Path dir = dev.diffulab.core.checkpoint.DemoModels.resolve(given);
    var next = LoadedModel.open(dir, manager);
    if (model != null) {
      model.close();
    }
    model = next;
    var c = next.config();
    String summary = dev.diffulab.core.checkpoint.ModelLabel.of(c, next.manifest());
    double[][] curve = curve(next);
    return new dev.diffulab.core.snapshot.ModelSnapshot(dir.toString(), c.method().id(), summary,
        c.model().seqLen(), dev.diffulab.engine.masked.MaskedSampler.describe(c.sampler()),
        c.cdcd().sigmaMin(), c.cdcd().sigmaMax(), curve[0], curve[1],
        next.method().samplingGrid(next, c.sampler().steps()), c.sampler(),
        c.data().isPairs() ? c.data().corpus() : "");
  }

  /**
   * The model's cross-entropy at ten mask ratios (masked) or ten noise levels (CDCD) on 64
   * stories it did not train on: TinyTales from another seed, or the first documents of a file.
   */
  private static double[][] curve(LoadedModel lm) {
    var c = lm.config();
    var tok = lm.tokenizer();
    if (c.data().isPairs()) {
      // the pairs' own rows (a task drawn from another seed): prompt, separator, response
      var rows = dev.diffulab.engine.data.LoadedCorpus.load(c.data(), c.model().seqLen(),
          c.seed() + 7919, tok).tokens();
      return lm.method().curve(lm, rows.subList(0, Math.min(64, rows.size())));
    }
    java.util.List<String> docs = c.data().isTinyTales()
        ? dev.diffulab.core.tinytales.TinyTalesCorpus.stories(64, c.seed() + 7919)
        : dev.diffulab.core.data.CorpusReader.read(Path.of(c.data().corpus())).stream().limit(64)
            .toList();
    java.util.List<int[]> ids = new java.util.ArrayList<>();
    docs.forEach(d -> ids.add(tok.encode(d)));
    var seqs = dev.diffulab.core.data.Sequences.pad(ids, c.model().seqLen(), tok.padId());
    return lm.method().curve(lm, seqs);
  }

  /** Opens a second checkpoint, for the Denoise workspace's side-by-side comparison. */
  public String useCompareCheckpoint(Path given, NDManager manager) {
    Path dir = dev.diffulab.core.checkpoint.DemoModels.resolve(given);
    var next = LoadedModel.open(dir, manager);
    if (compareModel != null) {
      compareModel.close();
    }
    compareModel = next;
    var c = next.config();
    return dev.diffulab.core.checkpoint.ModelLabel.of(c, next.manifest());
  }

  private LoadedModel training;
  private volatile boolean followTraining = true;

  /**
   * Takes the model a training run lends ({@code TrainingRun.lendModel})
   * or, with null, lets it go; returns what the workspaces show of it (no loss curve: the Train
   * workspace draws that live), or null. The lent model is never closed here — the run owns it.
   */
  public dev.diffulab.core.snapshot.ModelSnapshot useTraining(String runId,
      LoadedModel lent) {
    training = lent;
    if (lent == null) {
      return null;
    }
    var c = lent.config();
    return new dev.diffulab.core.snapshot.ModelSnapshot("training run " + runId,
        c.method().id(), "training run", c.model().seqLen(),
        dev.diffulab.engine.masked.MaskedSampler.describe(c.sampler()), c.cdcd().sigmaMin(),
        c.cdcd().sigmaMax(), null, null, lent.method().samplingGrid(lent, c.sampler().steps()),
        c.sampler(), c.data().isPairs() ? c.data().corpus() : "");
  }

  /** Whether the workspaces use the training run's model while there is one (the default). */
  public void followTraining(boolean follow) {
    followTraining = follow;
  }

  /**
   * The model the Masking and Denoise workspaces use: the training run's while one lends its
   * model and following is on, else the opened checkpoint; null when there is neither.
   */
  public LoadedModel active() {
    return followTraining && training != null ? training : model;
  }

  /** The comparison model, or null. */
  public LoadedModel compareModel() {
    return compareModel;
  }

  /** The opened model, or null. */
  public LoadedModel model() {
    return model;
  }

  @Override
  public void close() {
    if (compareModel != null) {
      compareModel.close();
      compareModel = null;
    }
    if (model != null) {
      model.close();
      model = null;
    }
    if (tokenizer != null) {
      tokenizer.close();
      tokenizer = null;
    }
  }
}
