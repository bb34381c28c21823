package dev.diffulab.engine.method;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.checkpoint.Manifest;
import dev.diffulab.core.checkpoint.ModelExtras;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.engine.checkpoint.Checkpoint;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A model ready to sample from: its config, tokenizer, parameters, manifest, and what its method
 * keeps beside them ({@code extras}: CDCD's fitted time warp; {@link ModelExtras#NONE} for a
 * family that keeps nothing more), read only by that family.
 */
public record LoadedModel(RunConfig config, TextTokenizer tokenizer, DenoiserModel<?> model,
    Manifest manifest, ModelExtras extras) implements AutoCloseable {

  public static LoadedModel open(Path dir, NDManager manager) {
    return open(Checkpoint.read(dir), manager);
  }

  /** As above, from a checkpoint already read. */
  public static LoadedModel open(Checkpoint.Contents c, NDManager manager) {
    Path dir = c.dir();
    TextTokenizer tok = TextTokenizer.fromJson(c.tokenizerJson(), "tokenizer in checkpoint " + dir);
    DenoiserModel<?> model = null;
    try {
      var config = c.config();
      DiffusionMethod method = DiffusionMethod.of(config.method());
      model = method.buildModel(config, tok, manager);
      Checkpoint.loadParameters(c, model);
      return new LoadedModel(config, tok, model, c.manifest(),
          method.restoreExtras(config, dir));
    } catch (RuntimeException e) {
      if (model != null) {
        model.close();
      }
      tok.close();
      throw e;
    }
  }

  /** The family this model belongs to: everything done with it goes through here. */
  public DiffusionMethod method() {
    return DiffusionMethod.of(config.method());
  }

  /** Samples with this model's family. */
  public List<DenoiseTrace> sample(SamplerConfig s, int[] lengths, int[] prompt, long seed,
      EngineContext ctx) {
    return sample(s, lengths, prompt, seed, ctx, null);
  }

  /** As above, reporting (step, steps) after every step. */
  public List<DenoiseTrace> sample(SamplerConfig s, int[] lengths, int[] prompt, long seed,
      EngineContext ctx, BiConsumer<Integer, Integer> progress) {
    return readable(method().sample(this, s, lengths, prompt, seed, ctx, progress));
  }

  /**
   * For a model that answers, each trace's final text as "question → answer" (the answer up to
   * its end token) instead of the whole canvas run together; other traces as they are.
   */
  public List<DenoiseTrace> readable(List<DenoiseTrace> traces) {
    if (!answers()) {
      return traces;
    }
    int sep = tokenizer.sepId();
    List<DenoiseTrace> out = new java.util.ArrayList<>(traces.size());
    for (DenoiseTrace t : traces) {
      int[] canvas = t.last().tokens();
      int given = Math.min(t.prefixLength(), canvas.length);
      String text = tokenizer.decode(java.util.Arrays.copyOf(canvas, given)) + " → "
          + tokenizer.decode(dev.diffulab.core.pairs.PairTokens.response(canvas, given, sep));
      out.add(new DenoiseTrace(t.method(), t.settings(), t.seed(), t.vocab(), t.prefixLength(),
          t.steps(), text));
    }
    return out;
  }

  /** Whether the model answers prompts: trained on prompt → response pairs. */
  public boolean answers() {
    return config.data().isPairs();
  }

  /**
   * The token ids a sample starts from: the prefix's, or for a model that answers, the question
   * and the separator after it (a question is then required).
   */
  public int[] prompt(String text) {
    boolean blank = text == null || text.isBlank();
    if (!answers()) {
      return blank ? new int[0] : tokenizer.encode(text);
    }
    if (blank) {
      throw new dev.diffulab.core.InputException("this model answers prompts: type one (for "
          + config.data().corpus() + ", e.g. " + example() + ")");
    }
    int[] ids = tokenizer.encode(text);
    if (ids.length + 2 > config.model().seqLen()) {
      throw new dev.diffulab.core.InputException("the prompt has " + ids.length + " tokens;"
          + " with its separator and an answer it does not fit " + config.model().seqLen());
    }
    return dev.diffulab.core.pairs.PairTokens.prompt(ids, tokenizer.sepId());
  }

  /** A prompt of the model's task, to show how one looks. */
  private String example() {
    if (config.data().isTask()) {
      return "\"" + dev.diffulab.core.pairs.Tasks.generate(config.data().corpus(), 1, 1).getFirst()
          .prompt() + "\"";
    }
    return "a question like those it was trained on";
  }

  /** Canvas lengths for {@code n} samples drawn from the training stories' lengths. */
  public int[] drawLengths(int n, int fixed, int promptLength, long seed) {
    if (answers()) {
      int[] all = new int[n];
      java.util.Arrays.fill(all, config.model().seqLen()); // the answer canvas it trained on
      return all;
    }
    return dev.diffulab.core.data.StoryLengths.sample(manifest.lengthHistogram(), n, fixed,
        promptLength, config.model().seqLen(), new java.util.Random(seed ^ 0x1F2E3D4CL));
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
