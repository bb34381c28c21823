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
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.latent.AutoencoderTrainer;
import dev.diffulab.engine.latent.TextAutoencoder;
import dev.diffulab.engine.masked.MaskPreview;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.Scalars;
import dev.diffulab.engine.model.TokenCrossEntropy;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The text autoencoder as a method beside the diffusion families: latent text diffusion's
 * first stage (PLANNER). It trains on plain text, reconstructing each text from its k latent
 * vectors; its noise is Gaussian noise on the latent, mixed in at a level l as
 * √(1 − l)·z + √l·ε (the variance-preserving mix of Gaussian diffusion), and its Noising view
 * shows the text written back from a latent noised at the slider's level — meaning drifting word
 * by word as the noise grows. Sampling writes texts from random latents (what the latent space
 * holds between the texts it has seen; a diffusion model over latents is what samples well).
 */
public final class AutoencoderMethod implements DiffusionMethod {
  static final AutoencoderMethod INSTANCE = new AutoencoderMethod();
  /** The latent noise levels of the loss curve: the mask ratios' ten levels. */
  private static final double[] LEVELS = RatioBuckets.LEVELS;
  /** Held-out texts {@code evaluate} writes back from their latents. */
  static final int RECONSTRUCTED = 256;

  private AutoencoderMethod() {
  }

  @Override
  public Method id() {
    return Method.AUTOENCODER;
  }

  @Override
  public String defaultSweep() {
    return "";
  }

  @Override
  public DenoiserModel<?> buildModel(RunConfig config, TextTokenizer tok, NDManager parent) {
    var a = config.autoencoder();
    boolean[] special = tok.specialMask();
    int t = config.model().seqLen();
    return DenoiserModel.of(new TextAutoencoder(config.model(), tok.vocabSize(), special,
        a.latents(), a.latentDim()), config.model(), tok.vocabSize(), special, parent,
        config.seed(), new Shape(1, t), new Shape(1, t));
  }

  @Override
  public ModelExtras restoreExtras(RunConfig config, Path dir) {
    return ModelExtras.NONE;
  }

  @Override
  public Family training(EngineContext ctx, String runId, RunConfig config,
      DenoiserModel<?> model, TextTokenizer tok, LoadedCorpus corpus, List<int[]> validation,
      int[] lengths) {
    return new AutoencoderFamily(ctx, runId, config, model, tok, corpus, validation, lengths);
  }

  /** Texts written from random latents, uniform in (−1, 1) as the encoder's tanh bounds them. */
  @Override
  public List<DenoiseTrace> sample(LoadedModel lm, SamplerConfig s, int[] lengths, int[] prompt,
      long seed, EngineContext ctx, BiConsumer<Integer, Integer> progress) {
    if (prompt.length > 0) {
      throw new InputException("the text autoencoder writes from a latent, not after a"
          + " prompt; leave the prompt empty");
    }
    DenoiserModel<TextAutoencoder> model = typed(lm);
    TextAutoencoder ae = model.block();
    int n = lengths.length;
    int length = java.util.Arrays.stream(lengths).max().orElse(lm.config().model().seqLen());
    java.util.Random r = new java.util.Random(seed);
    float[] z = new float[n * ae.latents() * ae.latentDim()];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (2 * r.nextDouble() - 1);
    }
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray latent = m.create(z, new Shape(n, ae.latents(), ae.latentDim()));
      var d = AutoencoderTrainer.decode(model, m, latent, m.ones(new Shape(n, length)), length);
      if (progress != null) {
        progress.accept(length, length);
      }
      return traces(lm, d, lengths, seed, "from random latents, greedy");
    }
  }

  @Override
  public List<DenoiseTrace> answer(LoadedModel lm, SamplerConfig s, List<int[]> prompts,
      int length, long seed, EngineContext ctx) {
    throw new InputException("the text autoencoder does not answer prompts: it writes a text"
        + " back from its latent");
  }

  /**
   * The text written back from its latent noised at {@code level}: √(1 − l)·z + √l·ε with ε
   * drawn from the request's seed; the marked positions show what was written there, with the
   * decoder's most likely tokens.
   */
  @Override
  public MaskPrediction predict(LoadedModel lm, MaskRequest r) {
    DenoiserModel<TextAutoencoder> model = typed(lm);
    return writtenBack(lm, model, r, (m, ids) -> noised(model, m, new int[][]{ids},
        m.ones(new Shape(1, ids.length)), r.level(), r.seed()));
  }

  /**
   * The Noising view of a family that writes a whole text back from a latent: {@code latent}
   * turns the request's text (its first {@code model.seq_len} ids) into the latent (1, k, Z)
   * that {@code decoder} writes back greedily; the request's marked positions show what was
   * written there, with the decoder's most likely tokens and certainty.
   */
  static MaskPrediction writtenBack(LoadedModel lm, DenoiserModel<TextAutoencoder> decoder,
      MaskRequest r, java.util.function.BiFunction<NDManager, int[], NDArray> latent) {
    return writtenBack(lm, decoder, r, 0, r.ids().length, latent);
  }

  /**
   * As above for the text at {@code [from, to)} of the request's ids (a pair row's response
   * after its prompt): only marked positions inside it are written back.
   */
  static MaskPrediction writtenBack(LoadedModel lm, DenoiserModel<TextAutoencoder> decoder,
      MaskRequest r, int from, int to,
      java.util.function.BiFunction<NDManager, int[], NDArray> latent) {
    var tok = lm.tokenizer();
    int len = Math.max(0, Math.min(to - from, lm.config().model().seqLen()));
    int[] ids = java.util.Arrays.copyOfRange(r.ids(), from, from + len);
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < len; i++) {
      if (r.masked()[from + i]) {
        shown.add(i);
      }
    }
    int[] rows = shown.stream().mapToInt(Integer::intValue).toArray();
    if (len == 0) {
      return MaskPreview.fromTop(r.requestId(), r.level(), r.seed(), r.masked(), new int[0],
          null, r.ids(), tok, null);
    }
    try (NDScope scope = new NDScope(); NDManager m = decoder.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      var d = AutoencoderTrainer.decode(decoder, m, latent.apply(m, ids),
          m.ones(new Shape(1, len)), len);
      int[][] top = new int[rows.length][];
      float[][] probs = new float[rows.length][];
      float[] entropy = new float[rows.length];
      int[] chosen = new int[rows.length];
      float[] chosenProb = new float[rows.length];
      int[] positions = new int[rows.length];
      for (int k = 0; k < rows.length; k++) {
        top[k] = d.topIds()[0][rows[k]];
        probs[k] = d.topProbs()[0][rows[k]];
        entropy[k] = d.entropy()[0][rows[k]];
        chosen[k] = d.written()[0][rows[k]];
        chosenProb[k] = d.confidence()[0][rows[k]];
        positions[k] = from + rows[k];
      }
      var summary = new dev.diffulab.engine.model.TokenDraws.Summary(entropy, top, probs,
          chosen, chosenProb);
      return MaskPreview.fromTop(r.requestId(), r.level(), r.seed(), r.masked(), positions,
          summary, r.ids(), tok, null);
    }
  }

  /** The latents of {@code ids} mixed with noise at {@code level}: (B, k, Z). */
  private static NDArray noised(DenoiserModel<TextAutoencoder> model, NDManager m, int[][] ids,
      NDArray keep, double level, long seed) {
    NDArray z = model.block().encode(model.store(), m.create(ids).toType(DataType.INT64, false),
        keep, false); // (B, k, Z)
    double l = Math.max(0, Math.min(1, level));
    if (l == 0) {
      return z;
    }
    java.util.Random r = new java.util.Random(seed);
    float[] eps = new float[(int) z.size()];
    for (int i = 0; i < eps.length; i++) {
      eps[i] = (float) r.nextGaussian();
    }
    return Scalars.mul(z, (float) Math.sqrt(1 - l)).add(Scalars.mul(m.create(eps, z.getShape()),
        (float) Math.sqrt(l)));
  }

  /**
   * The held-out reconstruction cross-entropy (teacher-forced) with the latent noised at each of
   * ten levels: how fast meaning is lost as noise grows; {x, y}.
   */
  @Override
  public double[][] curve(LoadedModel lm, List<int[]> sequences) {
    double[] x = LEVELS.clone();
    double[] y = new double[x.length];
    DenoiserModel<TextAutoencoder> model = typed(lm);
    int pad = lm.tokenizer().padId();
    List<int[]> some = sequences.subList(0, Math.min(sequences.size(), 64));
    if (some.isEmpty()) {
      return new double[][]{x, new double[x.length]};
    }
    int[][] ids = dev.diffulab.core.data.Sequences.trim(some.toArray(int[][]::new), pad);
    float[][] keep = keep(ids, pad);
    float[][] scored = AutoencoderTrainer.scored(model, ids, keep);
    TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(scored, ids);
    for (int k = 0; k < x.length; k++) {
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray keepArray = m.create(keep);
        NDArray z = noised(model, m, ids, keepArray, x[k], 11 + k);
        NDArray h = model.block().decode(model.store(), z, m.create(ids).toType(DataType.INT64,
            false), keepArray, false);
        y[k] = rows.size() == 0
            ? 0
            : TokenCrossEntropy.nll(model.block(), model.store(), h,
                rows, false).mean().getFloat();
      }
    }
    return new double[][]{x, y};
  }

  /**
   * Held-out reconstruction: cross-entropy (teacher-forced, no noise), and of up to
   * {@value #RECONSTRUCTED} texts written back greedily from their latents the share that came
   * back exactly and the share of tokens that did.
   */
  @Override
  public void evaluate(LoadedModel lm, List<int[]> val, long seed, Map<String, Object> r) {
    Reconstruction rec = reconstruct(lm, val, RECONSTRUCTED);
    r.put("val_reconstruction_ce_nats", rec.ce());
    r.put("reconstruction_exact", rec.exact());
    r.put("reconstruction_token_accuracy", rec.tokenAccuracy());
    r.put("reconstructed_texts", rec.texts());
  }

  /** What came back of {@code count} held-out texts, and their texts before and after. */
  record Reconstruction(double ce, double exact, double tokenAccuracy, int texts,
      List<String> originals, List<String> written, List<Boolean> right) {
  }

  static Reconstruction reconstruct(LoadedModel lm, List<int[]> val, int count) {
    DenoiserModel<TextAutoencoder> model = typed(lm);
    var tok = lm.tokenizer();
    int pad = tok.padId();
    List<int[]> some = val.subList(0, Math.min(val.size(), count));
    double ceSum = 0;
    long right = 0;
    long real = 0;
    int exact = 0;
    List<String> originals = new ArrayList<>();
    List<String> written = new ArrayList<>();
    List<Boolean> ok = new ArrayList<>();
    for (int from = 0; from < some.size(); from += 64) {
      int[][] ids = dev.diffulab.core.data.Sequences.trim(some.subList(from,
          Math.min(some.size(), from + 64)).toArray(int[][]::new), pad);
      float[][] keep = keep(ids, pad);
      ceSum += AutoencoderTrainer.heldOutLoss(model, ids, keep) * ids.length;
      var back = AutoencoderTrainer.reconstruct(model, ids, keep);
      right += back.right();
      real += back.real();
      for (int i = 0; i < ids.length; i++) {
        exact += back.whole()[i] ? 1 : 0;
        originals.add(tok.decode(ids[i]));
        written.add(tok.decode(back.written()[i]));
        ok.add(back.whole()[i]);
      }
    }
    int n = some.size();
    return new Reconstruction(n == 0 ? Double.NaN : ceSum / n, n == 0 ? 0 : (double) exact / n,
        real == 0 ? 0 : (double) right / real, n, originals, written, ok);
  }

  static float[][] keep(int[][] ids, int pad) {
    return dev.diffulab.core.data.TrainBatch.unpacked(ids, pad).keep();
  }

  /** One trace a text: each step writes the next token, as the decoder does. */
  private static List<DenoiseTrace> traces(LoadedModel lm, AutoencoderTrainer.Decoded d,
      int[] lengths, long seed, String label) {
    var tok = lm.tokenizer();
    List<String> vocab = new ArrayList<>(tok.vocabSize());
    for (int v = 0; v < tok.vocabSize(); v++) {
      vocab.add(tok.token(v));
    }
    List<DenoiseTrace> out = new ArrayList<>();
    for (int b = 0; b < lengths.length; b++) {
      int length = lengths[b];
      int[] canvas = new int[length];
      java.util.Arrays.fill(canvas, tok.maskId() >= 0 ? tok.maskId() : tok.padId());
      float[] confidence = new float[length];
      float[] entropy = new float[length];
      int[][] topIds = new int[length][0];
      float[][] topProbs = new float[length][0];
      List<TraceStep> steps = new ArrayList<>();
      for (int j = 0; j < length; j++) {
        canvas[j] = d.written()[b][j];
        confidence[j] = d.confidence()[b][j];
        entropy[j] = d.entropy()[b][j];
        topIds[j] = d.topIds()[b][j];
        topProbs[j] = d.topProbs()[b][j];
        TokenState[] states = new TokenState[length];
        for (int i = 0; i < length; i++) {
          states[i] = i < j ? TokenState.KEPT : i == j ? TokenState.REVEALED : TokenState.MASKED;
        }
        steps.add(new TraceStep(j, (double) (length - j - 1) / length, canvas.clone(), states,
            confidence.clone(), entropy.clone(), topIds.clone(), topProbs.clone()));
      }
      out.add(new DenoiseTrace(Method.AUTOENCODER.id(), label, seed, vocab, 0, steps,
          tok.decode(canvas)));
    }
    return out;
  }

  static DenoiserModel<TextAutoencoder> typed(LoadedModel lm) {
    return lm.model().as(TextAutoencoder.class);
  }
}
