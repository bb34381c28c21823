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

  @Override
  public String defaultSweep() {
    return "";
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
        a.latents(), a.latentDim()), config.model(), tok.vocabSize(), special, parent,
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
   * {@code lengths.length} texts by DDIM ({@code s.steps()} steps, deterministic), each as long
   * as its decoder writes it (up to {@code model.seq_len}); the lengths asked for are not used.
   */
  @Override
  public List<DenoiseTrace> sample(LoadedModel lm, SamplerConfig s, int[] lengths, int[] prompt,
      long seed, EngineContext ctx, BiConsumer<Integer, Integer> progress) {
    if (prompt.length > 0) {
      throw new InputException("latent diffusion writes whole texts from its latents, not"
          + " after a prompt; leave the prompt empty");
    }
    DenoiserModel<LatentDiffusion> model = typed(lm);
    int n = lengths.length;
    var run = LatentDiffusionTrainer.sample(model, schedule(lm.config()), n, s.steps(), 0.0,
        seed);
    int steps = run.steps();
    boolean everyStep = progress != null && n <= TRACED;
    int length = lm.config().model().seqLen();
    List<AutoencoderTrainer.Decoded> decoded = new ArrayList<>();
    for (int i = 0; i <= steps; i++) {
      if (everyStep || i == steps) {
        decoded.add(decode(model, run.denoised().get(i), n, length,
            lm.tokenizer().padId()));
      } else {
        decoded.add(null);
      }
      if (progress != null && i > 0) {
        progress.accept(i, steps);
      }
    }
    return traces(lm, run, decoded, seed, "DDIM, " + steps + " steps, η 0; greedy decoding");
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
    if (pieces.size() == 1) {
      return pieces.getFirst();
    }
    return new AutoencoderTrainer.Decoded(
        pieces.stream().flatMap(p -> Arrays.stream(p.written())).toArray(int[][]::new),
        pieces.stream().flatMap(p -> Arrays.stream(p.confidence())).toArray(float[][]::new),
        pieces.stream().flatMap(p -> Arrays.stream(p.entropy())).toArray(float[][]::new),
        pieces.stream().flatMap(p -> Arrays.stream(p.topIds())).toArray(int[][][]::new),
        pieces.stream().flatMap(p -> Arrays.stream(p.topProbs())).toArray(float[][][]::new));
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
   */
  private static List<DenoiseTrace> traces(LoadedModel lm, LatentDiffusionTrainer.Run run,
      List<AutoencoderTrainer.Decoded> decoded, long seed, String label) {
    var tok = lm.tokenizer();
    int pad = tok.padId();
    List<String> vocab = new ArrayList<>(tok.vocabSize());
    for (int v = 0; v < tok.vocabSize(); v++) {
      vocab.add(tok.token(v));
    }
    AutoencoderTrainer.Decoded last = decoded.getLast();
    int n = last.written().length;
    List<DenoiseTrace> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      int length = Math.max(1, end(last.written()[b], pad));
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
          tokens[j] = j < stop ? d.written()[b][j] : pad;
          states[j] = before != null && before[j] != tokens[j]
              ? TokenState.CHANGED
              : TokenState.KEPT;
          confidence[j] = d.confidence()[b][j];
          entropy[j] = d.entropy()[b][j];
          topIds[j] = d.topIds()[b][j];
          topProbs[j] = d.topProbs()[b][j];
        }
        steps.add(new TraceStep(steps.size(), run.level()[i], tokens, states, confidence,
            entropy, topIds, topProbs));
        before = tokens;
      }
      int[] text = Arrays.copyOf(last.written()[b], end(last.written()[b], pad));
      out.add(new DenoiseTrace(Method.LATENT.id(), label, seed, vocab, 0, steps,
          tok.decode(text)));
    }
    return out;
  }

  @Override
  public List<DenoiseTrace> answer(LoadedModel lm, SamplerConfig s, List<int[]> prompts,
      int length, long seed, EngineContext ctx) {
    throw new InputException("latent diffusion does not answer prompts: it writes whole"
        + " texts from latents");
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
    return AutoencoderMethod.writtenBack(lm, autoencoder(model), r, (m, ids) -> {
      NDArray clean = ld.toDiffusion(ld.autoencoder().encode(model.store(),
          m.create(new int[][]{ids}).toType(DataType.INT64, false),
          m.ones(new Shape(1, ids.length)), false)); // (1, 1, k, Z)
      java.util.Random random = new java.util.Random(r.seed());
      float[] eps = new float[(int) clean.size()];
      for (int i = 0; i < eps.length; i++) {
        eps[i] = (float) random.nextGaussian();
      }
      float a = (float) Math.sqrt(schedule.alphaBar(t));
      float s = (float) Math.sqrt(1 - schedule.alphaBar(t));
      NDArray xt = Scalars.mul(clean, a).add(Scalars.mul(m.create(eps, clean.getShape()), s));
      NDArray noise = ld.predictNoise(model.store(), xt, m.create(new float[]{t}), false);
      return ld.fromDiffusion(Scalars.div(xt.sub(Scalars.mul(noise, s)), a)); // (1, k, Z)
    });
  }

  /**
   * The denoiser's held-out error (mean square of ε̂ − ε) at ten noise levels, the shares of
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
    int pad = lm.tokenizer().padId();
    int[][] ids = dev.diffulab.core.data.Sequences.trim(sequences.subList(0,
        Math.min(sequences.size(), CHUNK)).toArray(int[][]::new), pad);
    return LatentDiffusionTrainer.heldOutLoss(typed(lm), schedule(lm.config()), ids, pad,
        RatioBuckets.LEVELS, 1234);
  }

  /** The denoiser's held-out error averaged over the ten levels. */
  static double heldOutLoss(LoadedModel lm, List<int[]> sequences) {
    return Arrays.stream(levelLosses(lm, sequences)).average().orElse(Double.NaN);
  }

  /**
   * Held-out reconstruction by the autoencoder (as its own family reports it) and the
   * denoiser's held-out error; the samples' measures are {@code evaluate}'s.
   */
  @Override
  public void evaluate(LoadedModel lm, List<int[]> val, long seed, Map<String, Object> r) {
    AutoencoderMethod.INSTANCE.evaluate(autoencoderModel(lm), val, seed, r);
    r.put("val_latent_mse", heldOutLoss(lm, val));
  }
}
