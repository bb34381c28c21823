package dev.diffulab.engine.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.InputException;
import dev.diffulab.core.checkpoint.ModelExtras;
import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.gaussian.NoiseSchedule;
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.latent.AutoencoderTrainer;
import dev.diffulab.engine.latent.LatentDiffusion;
import dev.diffulab.engine.latent.LatentDiffusionTrainer;
import dev.diffulab.engine.latent.TextAutoencoder;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.Scalars;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Latent text diffusion (PLANNER): a text autoencoder whose decoder also learns where a text
 * ends, and Gaussian diffusion over its k latent vectors. Sampling runs DDIM from noise to a
 * latent and decodes it greedily to a text; a trace holds, at every DDIM step, the text the
 * denoised estimate x̂₀ of that step decodes to (tokens that differ from the step before
 * marked as changed), so a person scrubbing a run reads the story forming. The Noising view
 * noises a text's latent by the forward process at the slider's level and shows what the
 * denoiser restores from it, decoded.
 */
public final class LatentMethod implements DiffusionMethod {
  static final LatentMethod INSTANCE = new LatentMethod();
  /** Texts a trace decodes at every step; more (an evaluation's) decode only the result. */
  static final int TRACED = 16;
  /** Texts decoded at once. */
  private static final int CHUNK = 64;

  private LatentMethod() {
  }

  @Override
  public Method id() {
    return Method.LATENT;
  }

  /**
   * DDIM's step count and η (its other settings are guidance and the noise temperature;
   * decoding is greedy), so the frontier of this family is how few steps, with or without fresh
   * noise, keep the texts right and varied.
   */
  @Override
  public String defaultSweep() {
    return "steps=10,25,50,100;eta=0,1";
  }

  /** The tokenizer's special ids less padding: the decoder writes padding as a text's end. */
  static boolean[] special(TextTokenizer tok) {
    boolean[] special = tok.specialMask();
    special[tok.padId()] = false;
    return special;
  }

  @Override
  public DenoiserModel<?> buildModel(RunConfig config, TextTokenizer tok, NDManager parent) {
    var a = config.autoencoder();
    boolean[] special = special(tok);
    int t = config.model().seqLen();
    return DenoiserModel.of(new LatentDiffusion(config.model(), tok.vocabSize(), special,
        a.latents(), a.latentDim(), config.data().isPairs()), config.model(), tok.vocabSize(),
        special, parent,
        config.seed(), new Shape(1, t), new Shape(1, t));
  }

  /** The autoencoder inside a latent-diffusion model, as a model of its own. */
  static DenoiserModel<TextAutoencoder> autoencoder(DenoiserModel<LatentDiffusion> whole) {
    return DenoiserModel.part(whole, whole.block().autoencoder(), whole.special());
  }

  /** {@code lm} seen as its autoencoder, for the autoencoder family's measurements. */
  static LoadedModel autoencoderModel(LoadedModel lm) {
    return new LoadedModel(lm.config(), lm.tokenizer(), autoencoder(typed(lm)), lm.manifest(),
        lm.extras());
  }

  /** The forward process of {@code config}'s latent diffusion. */
  static NoiseSchedule schedule(RunConfig config) {
    var a = config.autoencoder();
    return NoiseSchedule.of(NoiseSchedule.Kind.parse(a.noiseSchedule(),
        "autoencoder.noise_schedule"), a.diffusionSteps());
  }

  /** The share of the latent's variance that is noise at each DDIM step, ending at 0. */
  @Override
  public double[] samplingGrid(LoadedModel lm, int steps) {
    NoiseSchedule schedule = schedule(lm.config());
    int[] ts = schedule.samplingSteps(steps);
    double[] out = new double[ts.length + 1];
    for (int i = 0; i < ts.length; i++) {
      out[i] = 1 - schedule.alphaBar(ts[i]);
    }
    return out; // the last, after the last step, is 0
  }

  static DenoiserModel<LatentDiffusion> typed(LoadedModel lm) {
    return lm.model().as(LatentDiffusion.class);
  }

  @Override
  public ModelExtras restoreExtras(RunConfig config, Path dir) {
    return ModelExtras.NONE;
  }

  @Override
  public Family training(EngineContext ctx, String runId, RunConfig config,
      DenoiserModel<?> model, TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation,
      int[] lengths) {
    return new LatentFamily(ctx, runId, config, model, tok, corpus, validation, lengths);
  }

  /**
   * {@code lengths.length} texts by DDIM ({@code s.steps()} steps, η {@code s.eta()}), each as long
   * as its decoder writes it (up to {@code model.seq_len}); the lengths asked for are not used.
   * A conditional model answers {@code prompt} (a prompt row ending in its separator) in each,
   * or with none writes responses without an input.
   */
  @Override
  public List<DenoiseTrace> sample(LoadedModel lm, SamplerConfig s, int[] lengths, int[] prompt,
      long seed, EngineContext ctx, BiConsumer<Integer, Integer> progress) {
    boolean conditional = typed(lm).block().isConditional();
    if (prompt.length > 0 && !conditional) {
      throw new InputException("latent diffusion writes whole texts from its latents, not"
          + " after a prompt; leave the prompt empty");
    }
    int n = lengths.length;
    int[][] prompts = null;
    if (prompt.length > 0) {
      prompts = new int[n][];
      Arrays.fill(prompts, prompt);
    }
    return run(lm, s, n, prompts, seed, progress, progress != null && n <= TRACED);
  }

  /**
   * A conditional model's responses to {@code prompts} (prompt rows, each ending in its
   * separator), in one DDIM run a chunk; each trace's tokens are the prompt and the response
   * after it, ended by the separator.
   */
  @Override
  public List<DenoiseTrace> answer(LoadedModel lm, SamplerConfig s, List<int[]> prompts,
      int length, long seed, EngineContext ctx) {
    if (!typed(lm).block().isConditional()) {
      throw new InputException("this latent diffusion model was trained on plain texts: it"
          + " writes whole texts from latents, and answers no prompt");
    }
    List<DenoiseTrace> out = new ArrayList<>();
    for (int from = 0; from < prompts.size(); from += CHUNK) {
      int[][] chunk = prompts.subList(from, Math.min(prompts.size(), from + CHUNK))
          .toArray(int[][]::new);
      out.addAll(run(lm, s, chunk.length, chunk, seed + from, null, false));
    }
    return out;
  }

  /**
   * {@code n} texts by one DDIM run, each reading its row of {@code prompts} (null: none),
   * decoded at every step when {@code everyStep}, else only at the end.
   */
  private static List<DenoiseTrace> run(LoadedModel lm, SamplerConfig s, int n, int[][] prompts,
      long seed, BiConsumer<Integer, Integer> progress, boolean everyStep) {
    DenoiserModel<LatentDiffusion> model = typed(lm);
    var tok = lm.tokenizer();
    LatentDiffusionTrainer.Inputs inputs = prompts == null
        ? null
        : inputs(prompts, tok.padId());
    var run = LatentDiffusionTrainer.sample(model, schedule(lm.config()), n, s.steps(), s.eta(),
        inputs, s.guidance(), s.noiseTemperature(), seed);
    int steps = run.steps();
    int length = lm.config().model().seqLen();
    List<AutoencoderTrainer.Decoded> decoded = new ArrayList<>();
    for (int i = 0; i <= steps; i++) {
      if (everyStep || i == steps) {
        decoded.add(decode(model, run.denoised().get(i), n, length, tok.padId()));
      } else {
        decoded.add(null);
      }
      if (progress != null && i > 0) {
        progress.accept(i, steps);
      }
    }
    String label = "DDIM, " + steps + " steps, η " + plain(s.eta())
        + (s.noiseTemperature() != 1.0
            ? ", noise temperature " + plain(s.noiseTemperature())
            : "")
        + (inputs != null && s.guidance() != 1.0 ? ", guidance " + s.guidance() : "")
        + "; greedy decoding";
    return traces(lm, run, decoded, prompts, seed, label);
  }

  /** {@code x} without trailing zeros: 0, 0.5, 1. */
  private static String plain(double x) {
    return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  /** Prompt rows as a conditional model's inputs, padded to the longest. */
  static LatentDiffusionTrainer.Inputs inputs(int[][] prompts, int pad) {
    int longest = Arrays.stream(prompts).mapToInt(p -> p.length).max().orElse(1);
    int[][] ids = dev.diffulab.core.data.Sequences.pad(Arrays.asList(prompts), longest, pad)
        .toArray(int[][]::new);
    return new LatentDiffusionTrainer.Inputs(ids,
        dev.diffulab.core.data.TrainBatch.unpacked(ids, pad).keep());
  }

  /** A pair row's prompt (with its separator) and its response (without its end). */
  private record Cut(int[] prompt, int[] response) {
    static Cut of(int[] row, int sep) {
      int at = dev.diffulab.core.pairs.PairTokens.promptLength(row, sep);
      return new Cut(Arrays.copyOf(row, at),
          dev.diffulab.core.pairs.PairTokens.response(row, at, sep));
    }

    /** The response alone, without copying the prompt. */
    static int[] response(int[] row, int sep) {
      return dev.diffulab.core.pairs.PairTokens.response(row,
          dev.diffulab.core.pairs.PairTokens.promptLength(row, sep), sep);
    }
  }

  /**
   * Pair rows (prompt, separator, response, end tokens, padding) cut into what a conditional
   * model reads and what its autoencoder writes: the prompts (with their separators) and the
   * responses, padded with {@code pad} to the longest response and one more, so every response's
   * end is learned — at most {@code longest} tokens.
   */
  record Pairs(LatentDiffusionTrainer.Inputs prompts, int[][] responses, float[][] keep) {
  }

  static Pairs pairs(int[][] rows, int sep, int pad, int longest) {
    int[][] prompts = new int[rows.length][];
    List<int[]> responses = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      Cut c = Cut.of(rows[i], sep);
      prompts[i] = c.prompt();
      responses.add(c.response());
    }
    int width = Math.min(longest, responses.stream().mapToInt(r -> r.length).max().orElse(0)
        + 1);
    int[][] ids = dev.diffulab.core.data.Sequences.pad(responses, width, pad)
        .toArray(int[][]::new);
    float[][] keep = dev.diffulab.core.data.TrainBatch.unpacked(ids, pad).keep();
    return new Pairs(inputs(prompts, pad), ids, keep);
  }

  /**
   * The responses of pair rows, what a conditional model's autoencoder writes back, padded with
   * {@code pad} to the longest and one more (as held-out texts are padded).
   */
  static List<int[]> responses(List<int[]> rows, int sep, int pad) {
    List<int[]> out = new ArrayList<>();
    for (int[] row : rows) {
      out.add(Cut.response(row, sep));
    }
    int width = out.stream().mapToInt(r -> r.length).max().orElse(0) + 1;
    return dev.diffulab.core.data.Sequences.pad(out, width, pad);
  }

  /** The texts a run's autoencoder learns: the rows, or for pairs their responses. */
  static List<int[]> texts(LoadedModel lm, List<int[]> rows) {
    var tok = lm.tokenizer();
    return typed(lm).block().isConditional()
        ? responses(rows, tok.sepId(), tok.padId())
        : rows;
  }

  /**
   * Greedy decoding of {@code n} latents (flattened n·k·Z) to {@code length} tokens each, or
   * fewer passes once every text has written its end ({@code pad}).
   */
  private static AutoencoderTrainer.Decoded decode(DenoiserModel<LatentDiffusion> model,
      float[] latents, int n, int length, int pad) {
    TextAutoencoder ae = model.block().autoencoder();
    int per = ae.latents() * ae.latentDim();
    DenoiserModel<TextAutoencoder> part = autoencoder(model);
    List<AutoencoderTrainer.Decoded> pieces = new ArrayList<>();
    for (int from = 0; from < n; from += CHUNK) {
      int rows = Math.min(CHUNK, n - from);
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray z = m.create(Arrays.copyOfRange(latents, from * per, (from + rows) * per),
            new Shape(rows, ae.latents(), ae.latentDim()));
        pieces.add(AutoencoderTrainer.decode(part, m, z, m.ones(new Shape(rows, length)),
            length, pad));
      }
    }
    return AutoencoderTrainer.Decoded.concat(pieces);
  }

  /** Where a decoded text ends: its first padding, or its whole length. */
  static int end(int[] written, int pad) {
    for (int j = 0; j < written.length; j++) {
      if (written[j] == pad) {
        return j;
      }
    }
    return written.length;
  }

  /**
   * One trace a text, as long as its final text: what the starting noise decodes to, then a
   * step for every decoded x̂₀ (tokens that differ from the step before marked changed;
   * padding where that step's text ended sooner). Without every step decoded, the result only.
   * With {@code prompts} each trace starts with its prompt (given, never changed) and its
   * response is ended by the separator, as a pair row is.
   */
  private static List<DenoiseTrace> traces(LoadedModel lm, LatentDiffusionTrainer.Run run,
      List<AutoencoderTrainer.Decoded> decoded, int[][] prompts, long seed, String label) {
    var tok = lm.tokenizer();
    int pad = tok.padId();
    int fill = prompts != null ? tok.sepId() : pad;
    List<String> vocab = new ArrayList<>(tok.vocabSize());
    for (int v = 0; v < tok.vocabSize(); v++) {
      vocab.add(tok.token(v));
    }
    AutoencoderTrainer.Decoded last = decoded.getLast();
    int n = last.written().length;
    List<DenoiseTrace> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      int[] prompt = prompts != null ? prompts[b] : new int[0];
      int p = prompt.length;
      int finalEnd = end(last.written()[b], pad);
      // a response keeps one end token after it; a plain text is its tokens (at least one)
      int body = prompts != null ? finalEnd + 1 : Math.max(1, finalEnd);
      int length = p + body;
      List<TraceStep> steps = new ArrayList<>();
      int[] before = null;
      for (int i = 0; i < decoded.size(); i++) {
        AutoencoderTrainer.Decoded d = decoded.get(i);
        if (d == null) {
          continue;
        }
        int stop = end(d.written()[b], pad);
        int[] tokens = new int[length];
        TokenState[] states = new TokenState[length];
        float[] confidence = new float[length];
        float[] entropy = new float[length];
        int[][] topIds = new int[length][0];
        float[][] topProbs = new float[length][0];
        for (int j = 0; j < length; j++) {
          if (j < p) {
            tokens[j] = prompt[j];
            states[j] = TokenState.GIVEN;
            confidence[j] = 1f;
            continue;
          }
          int at = j - p;
          int column = Math.min(at, d.written()[b].length - 1);
          tokens[j] = at < stop ? d.written()[b][at] : fill;
          states[j] = before != null && before[j] != tokens[j]
              ? TokenState.CHANGED
              : TokenState.KEPT;
          confidence[j] = d.confidence()[b][column];
          entropy[j] = d.entropy()[b][column];
          topIds[j] = d.topIds()[b][column];
          topProbs[j] = d.topProbs()[b][column];
        }
        steps.add(new TraceStep(steps.size(), run.level()[i], tokens, states, confidence,
            entropy, topIds, topProbs));
        before = tokens;
      }
      int[] text = Arrays.copyOf(last.written()[b], finalEnd);
      out.add(new DenoiseTrace(Method.LATENT.id(), label, seed, vocab, p, steps,
          tok.decode(text)));
    }
    return out;
  }

  /**
   * What the denoiser restores from a text's latent noised by the forward process to the
   * slider's level (the share of the latent's variance that is noise): x_t at the step whose
   * 1 − ᾱ_t is nearest the level, its x̂₀ from one denoiser pass, decoded greedily; the marked
   * positions show what was written there.
   */
  @Override
  public MaskPrediction predict(LoadedModel lm, MaskRequest r) {
    DenoiserModel<LatentDiffusion> model = typed(lm);
    LatentDiffusion ld = model.block();
    NoiseSchedule schedule = schedule(lm.config());
    int t = LatentDiffusionTrainer.stepAtNoise(schedule, Math.max(0, Math.min(1, r.level())));
    int from = 0;
    int to = r.ids().length;
    int[] prompt = null;
    if (ld.isConditional()) {
      // a pair row: the prompt is read, never noised; its response is what is noised
      int sep = lm.tokenizer().sepId();
      from = dev.diffulab.core.pairs.PairTokens.promptLength(r.ids(), sep);
      // the response and its end token, which the decoder writes as its end
      to = Math.min(r.ids().length, from + dev.diffulab.core.pairs.PairTokens.response(r.ids(),
          from, sep).length + 1);
      prompt = Arrays.copyOf(r.ids(), from);
    }
    int[][] given = prompt == null || prompt.length == 0 ? null : new int[][]{prompt};
    int end = ld.isConditional() ? lm.tokenizer().sepId() : -1;
    return AutoencoderMethod.writtenBack(lm, autoencoder(model), r, from, to, (m, ids) -> {
      // a response is encoded without its end token, as the autoencoder learned it
      int[] text = ids.length > 1 && ids[ids.length - 1] == end
          ? Arrays.copyOf(ids, ids.length - 1)
          : ids;
      NDArray clean = ld.diffusionLatents(model.store(), m, new int[][]{text},
          new float[][]{ones(text.length)}); // (1, 1, k, Z)
      java.util.Random random = new java.util.Random(r.seed());
      float[] eps = new float[(int) clean.size()];
      for (int i = 0; i < eps.length; i++) {
        eps[i] = (float) random.nextGaussian();
      }
      int[] steps = {t};
      NDArray xt = LatentDiffusionTrainer.noised(schedule, clean, m.create(eps,
          clean.getShape()), steps);
      LatentDiffusion.Condition c = given == null
          ? null
          : ld.encodeCondition(model.store(), m, given, new float[][]{ones(given[0].length)},
              false);
      NDArray v = ld.predictVelocity(model.store(), xt, m.create(new float[]{t}), c, false);
      return ld.fromDiffusion(LatentDiffusionTrainer.denoised(schedule, xt, v, t)); // (1, k, Z)
    });
  }

  private static float[] ones(int n) {
    float[] out = new float[n];
    Arrays.fill(out, 1f);
    return out;
  }

  /**
   * The denoiser's held-out error (mean square of v̂ − v) at ten noise levels, the shares of
   * the latent's variance that is noise; {x, y}.
   */
  @Override
  public double[][] curve(LoadedModel lm, List<int[]> sequences) {
    double[] x = RatioBuckets.LEVELS.clone();
    if (sequences.isEmpty()) {
      return new double[][]{x, new double[x.length]};
    }
    return new double[][]{x, levelLosses(lm, sequences)};
  }

  private static double[] levelLosses(LoadedModel lm, List<int[]> sequences) {
    return levelLosses(lm, sequences, false).read();
  }

  /**
   * The held-out error at each level: a conditional model's with its prompts and, when
   * {@code alsoUnread}, on the same noised latents without them.
   */
  private static LatentDiffusionTrainer.LevelLosses levelLosses(LoadedModel lm,
      List<int[]> sequences,
      boolean alsoUnread) {
    int pad = lm.tokenizer().padId();
    int[][] rows = sequences.subList(0, Math.min(sequences.size(), CHUNK))
        .toArray(int[][]::new);
    if (typed(lm).block().isConditional()) {
      Pairs p = pairs(rows, lm.tokenizer().sepId(), pad, lm.config().model().seqLen());
      return LatentDiffusionTrainer.heldOutLosses(typed(lm), schedule(lm.config()),
          p.responses(), pad, p.prompts(), RatioBuckets.LEVELS, 1234, alsoUnread);
    }
    int[][] ids = dev.diffulab.core.data.Sequences.trim(rows, pad);
    return new LatentDiffusionTrainer.LevelLosses(LatentDiffusionTrainer.heldOutLoss(typed(lm),
        schedule(lm.config()), ids, pad, RatioBuckets.LEVELS, 1234), java.util.Optional.empty());
  }

  /** The denoiser's held-out error averaged over the ten levels. */
  static double heldOutLoss(LoadedModel lm, List<int[]> sequences) {
    return mean(levelLosses(lm, sequences));
  }

  /**
   * The denoiser's held-out error averaged over the ten levels and, for a conditional model,
   * the same with every prompt withheld: against the first, how much the prompt tells the
   * denoiser (equal: it is not read). Empty second for an unconditional model.
   */
  record HeldOut(double read, java.util.OptionalDouble withoutPrompts) {
  }

  static HeldOut heldOut(LoadedModel lm, List<int[]> sequences) {
    boolean conditional = typed(lm).block().isConditional();
    LatentDiffusionTrainer.LevelLosses l = levelLosses(lm, sequences, conditional);
    return new HeldOut(mean(l.read()), l.unread()
        .map(u -> java.util.OptionalDouble.of(mean(u)))
        .orElse(java.util.OptionalDouble.empty()));
  }

  private static double mean(double[] levels) {
    return Arrays.stream(levels).average().orElse(Double.NaN);
  }

  /**
   * Held-out reconstruction by the autoencoder (as its own family reports it) and the
   * denoiser's held-out error; the samples' measures are {@code evaluate}'s.
   */
  @Override
  public void evaluate(LoadedModel lm, List<int[]> val, long seed, Map<String, Object> r) {
    AutoencoderMethod.INSTANCE.evaluate(autoencoderModel(lm), texts(lm, val), seed, r);
    r.put("val_latent_mse", heldOutLoss(lm, val));
  }
}
