package dev.diffulab.engine.latent;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import ai.djl.ndarray.NDScope;

/**
 * Training and reading back a {@link TextAutoencoder}: one optimisation step (encode, perturb
 * the latent, decode with teacher forcing, cross-entropy over every real token, backward, clip,
 * AdamW), the held-out reconstruction loss, and greedy reconstruction — encode a text, write it
 * back token by token from its latent alone.
 */
public final class AutoencoderTrainer implements AutoCloseable {
  private final DenoiserModel<TextAutoencoder> model;
  private final AdamW optimizer;
  private final double latentNoise;

  /** What one step measured. */
  public record Step(float loss, float gradNorm, long tokens) {
  }

  /**
   * How well texts come back from their latents.
   *
   * @param written what came back (padding copied from the texts)
   * @param whole for each text, whether every real token came back right
   * @param right real tokens written back right
   * @param real real tokens in all
   */
  public record Reconstruction(int[][] written, boolean[] whole, long right, long real) {
    /** The share of texts written back exactly. */
    public double exact() {
      int n = 0;
      for (boolean w : whole) {
        n += w ? 1 : 0;
      }
      return whole.length == 0 ? 0 : (double) n / whole.length;
    }

    /** The share of real tokens written back right. */
    public double tokenAccuracy() {
      return real == 0 ? 0 : (double) right / real;
    }
  }

  /** @param latentNoise the standard deviation of the noise added to a latent in training */
  public AutoencoderTrainer(DenoiserModel<TextAutoencoder> model, double weightDecay,
      double gradClip, double latentNoise) {
    this.model = model;
    this.latentNoise = latentNoise;
    this.optimizer = new AdamW(model.parameters(), model.manager(), weightDecay, gradClip);
  }

  public AdamW optimizer() {
    return optimizer;
  }

  /** One step on texts {@code ids} (B × T, padded) with {@code keep} 1 at real tokens. */
  public Step step(int[][] ids, float[][] keep, double lr) {
    float[][] scored = scored(model, ids, keep);
    TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(scored, ids);
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss = loss(m, ids, keep, rows, true);
        gc.backward(loss);
      }
      float norm = optimizer.gradientNorm();
      float gradNorm = optimizer.step(lr, norm);
      return new Step(loss.getFloat(), gradNorm, rows.size());
    }
  }

  /** The mean reconstruction cross-entropy (nats a token) of texts, teacher-forced, no noise. */
  public double heldOutLoss(int[][] ids, float[][] keep) {
    return heldOutLoss(model, ids, keep);
  }

  /** As above for any autoencoder {@code model}. */
  public static double heldOutLoss(DenoiserModel<TextAutoencoder> model, int[][] ids,
      float[][] keep) {
    TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(scored(model, ids, keep), ids);
    if (rows.size() == 0) {
      return 0;
    }
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      return loss(model, m, ids, keep, rows, false, 0).getFloat();
    }
  }

  private NDArray loss(NDManager m, int[][] ids, float[][] keep, TokenCrossEntropy.Rows rows,
      boolean training) {
    return loss(model, m, ids, keep, rows, training, latentNoise);
  }

  private static NDArray loss(DenoiserModel<TextAutoencoder> model, NDManager m, int[][] ids,
      float[][] keep, TokenCrossEntropy.Rows rows, boolean training, double latentNoise) {
    TextAutoencoder ae = model.block();
    NDArray idArray = m.create(ids).toType(DataType.INT64, false); // (B, T)
    NDArray keepArray = m.create(keep); // (B, T)
    NDArray latent = ae.encode(model.store(), idArray, keepArray, training); // (B, k, Z)
    if (training) {
      latent = TextAutoencoder.perturb(latent, latentNoise);
    }
    NDArray h = ae.decode(model.store(), latent, idArray, keepArray, training); // (B, T, D)
    return TokenCrossEntropy.nll(ae, model.store(), h, rows, training).mean(); // ()
  }

  /**
   * Positions whose token the decoder is asked for: real tokens it may write; and, when it may
   * write padding (a latent-diffusion model's decoder, which must know where a text sampled
   * from a latent ends), the first padding after each text, its end.
   */
  public static float[][] scored(DenoiserModel<TextAutoencoder> model, int[][] ids,
      float[][] keep) {
    boolean[] special = model.special();
    float[][] s = new float[ids.length][];
    for (int b = 0; b < ids.length; b++) {
      s[b] = new float[ids[b].length];
      boolean ended = false;
      for (int j = 0; j < ids[b].length; j++) {
        int t = ids[b][j];
        boolean never = t >= 0 && t < special.length && special[t];
        if (keep[b][j] != 0) {
          s[b][j] = never ? 0f : 1f;
        } else if (!ended) {
          ended = true;
          s[b][j] = never ? 0f : 1f;
        }
      }
    }
    return s;
  }

  /**
   * Encodes texts and writes each back greedily from its latent alone, as many tokens as it has
   * real ones (its length is given, not predicted); measures what came back right.
   */
  public Reconstruction reconstruct(int[][] ids, float[][] keep) {
    return reconstruct(model, ids, keep);
  }

  /** As above for any autoencoder {@code model}. */
  public static Reconstruction reconstruct(DenoiserModel<TextAutoencoder> model, int[][] ids,
      float[][] keep) {
    TextAutoencoder ae = model.block();
    int b = ids.length;
    int t = ids[0].length;
    int[][] written;
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray keepArray = m.create(keep); // (B, T)
      NDArray latent = ae.encode(model.store(), m.create(ids).toType(DataType.INT64, false),
          keepArray, false); // (B, k, Z)
      written = decode(model, m, latent, keepArray, t).written();
    }
    long right = 0;
    long real = 0;
    boolean[] whole = new boolean[b];
    for (int i = 0; i < b; i++) {
      boolean all = true;
      for (int j = 0; j < t; j++) {
        if (keep[i][j] == 0) {
          written[i][j] = ids[i][j];
          continue;
        }
        real++;
        if (written[i][j] == ids[i][j]) {
          right++;
        } else {
          all = false;
        }
      }
      whole[i] = all;
    }
    return new Reconstruction(written, whole, right, real);
  }

  /**
   * Writes {@code length} tokens after each latent (B, k, Z), each the decoder's most likely
   * next token given the latent and the tokens written before it.
   */
  public int[][] decodeGreedy(NDManager m, NDArray latent, NDArray keep, int length) {
    return decode(model, m, latent, keep, length).written();
  }

  /**
   * What greedy decoding wrote at each position, with the decoder's certainty there: the
   * probability of the written token, the entropy, and the most likely tokens with theirs.
   */
  public record Decoded(int[][] written, float[][] confidence, float[][] entropy,
      int[][][] topIds, float[][][] topProbs) {
    /** The rows of {@code pieces}, in order, as one (a single piece as it is). */
    public static Decoded concat(java.util.List<Decoded> pieces) {
      if (pieces.size() == 1) {
        return pieces.getFirst();
      }
      return new Decoded(
          pieces.stream().flatMap(p -> java.util.Arrays.stream(p.written()))
              .toArray(int[][]::new),
          pieces.stream().flatMap(p -> java.util.Arrays.stream(p.confidence()))
              .toArray(float[][]::new),
          pieces.stream().flatMap(p -> java.util.Arrays.stream(p.entropy()))
              .toArray(float[][]::new),
          pieces.stream().flatMap(p -> java.util.Arrays.stream(p.topIds()))
              .toArray(int[][][]::new),
          pieces.stream().flatMap(p -> java.util.Arrays.stream(p.topProbs()))
              .toArray(float[][][]::new));
    }
  }

  /** Greedy decoding of {@code length} tokens after each latent (B, k, Z), padding per keep. */
  public static Decoded decode(DenoiserModel<TextAutoencoder> model, NDManager m, NDArray latent,
      NDArray keep, int length) {
    return decode(model, m, latent, keep, length, -1);
  }

  /**
   * As above; once every text has written {@code end} (a decoder that ends its texts), the rest
   * of each is {@code end}, certain, without more passes. {@code end} −1: none.
   */
  public static Decoded decode(DenoiserModel<TextAutoencoder> model, NDManager m, NDArray latent,
      NDArray keep, int length, int end) {
    TextAutoencoder ae = model.block();
    int b = (int) latent.getShape().get(0);
    int[][] written = new int[b][length];
    float[][] confidence = new float[b][length];
    float[][] entropy = new float[b][length];
    int[][][] topIds = new int[b][length][];
    float[][][] topProbs = new float[b][length][];
    var greedy = new dev.diffulab.engine.model.TokenDraws.Rule(
        dev.diffulab.core.config.SamplerConfig.TokenChoice.GREEDY, 1, 1, 1);
    boolean[] ended = new boolean[b];
    for (int j = 0; j < length; j++) {
      try (NDScope step = new NDScope()) {
        step.suppressNotUsedWarning();
        int upTo = j + 1;
        int[][] sofar = new int[b][upTo];
        for (int i = 0; i < b; i++) {
          System.arraycopy(written[i], 0, sofar[i], 0, j); // position j is never read
        }
        NDArray ids = m.create(sofar).toType(DataType.INT64, false); // (B, j + 1)
        NDArray h = ae.decode(model.store(), latent, ids, keep.get(":, 0:" + upTo), false)
            .get(":, " + j + ", :"); // (B, D)
        var s = dev.diffulab.engine.model.TokenDraws.summarise(ae.project(model.store(), h,
            false), greedy, new int[0], new double[0]);
        for (int i = 0; i < b; i++) {
          written[i][j] = s.topIds()[i][0];
          confidence[i][j] = s.topProbs()[i][0];
          entropy[i][j] = s.entropy()[i];
          topIds[i][j] = s.topIds()[i];
          topProbs[i][j] = s.topProbs()[i];
          ended[i] |= end >= 0 && written[i][j] == end;
        }
      }
      if (end >= 0 && allTrue(ended)) {
        for (int i = 0; i < b; i++) {
          for (int r = j + 1; r < length; r++) {
            written[i][r] = end;
            confidence[i][r] = 1f;
            topIds[i][r] = new int[]{end};
            topProbs[i][r] = new float[]{1f};
          }
        }
        break;
      }
    }
    return new Decoded(written, confidence, entropy, topIds, topProbs);
  }

  private static boolean allTrue(boolean[] b) {
    for (boolean x : b) {
      if (!x) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
