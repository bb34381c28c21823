package dev.diffulab.engine.latent;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.diffulab.core.gaussian.NoiseSchedule;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The second stage of latent text diffusion: Gaussian diffusion over the frozen autoencoder's
 * latents (DDPM's Algorithm 1 on k × Z latents brought to unit scale), and DDIM sampling from
 * noise to a latent, with the denoised estimate x̂₀ of every step kept so that a person can read
 * what each step would decode to.
 */
public final class LatentDiffusionTrainer implements AutoCloseable {
  /** Training texts whose latents set the scale the denoiser works at. */
  public static final int SCALE_TEXTS = 2048;

  private final DenoiserModel<LatentDiffusion> model;
  private final NoiseSchedule schedule;
  private final AdamW optimizer;

  /**
   * What a step measured: the loss, and each text's noise share 1 − ᾱ_t and own loss.
   */
  public record Step(float loss, float gradNorm, float[] level, float[] perText) {
  }

  public LatentDiffusionTrainer(DenoiserModel<LatentDiffusion> model, NoiseSchedule schedule,
      double weightDecay, double gradClip) {
    this.model = model;
    this.schedule = schedule;
    this.optimizer = new AdamW(model.block().denoiserParameters(), model.manager(), weightDecay,
        gradClip);
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public NoiseSchedule schedule() {
    return schedule;
  }

  /**
   * Measures the mean and standard deviation of each latent dimension over {@code texts} (of
   * any lengths; padded here with {@code pad}), as the frozen encoder writes them, and keeps
   * them in the model.
   */
  public static void measureScale(DenoiserModel<LatentDiffusion> model, List<int[]> texts,
      int pad) {
    LatentDiffusion ld = model.block();
    int z = ld.autoencoder().latentDim();
    double[] sum = new double[z];
    double[] sq = new double[z];
    long count = 0;
    for (int from = 0; from < texts.size(); from += 64) {
      List<int[]> chunk = texts.subList(from, Math.min(texts.size(), from + 64));
      int longest = chunk.stream().mapToInt(x -> x.length).max().orElse(1);
      int[][] ids = dev.diffulab.core.data.Sequences.pad(chunk, longest, pad)
          .toArray(int[][]::new);
      float[] v = latents(model, ids, pad);
      for (int i = 0; i < v.length; i++) {
        sum[i % z] += v[i];
        sq[i % z] += (double) v[i] * v[i];
      }
      count += v.length / z;
    }
    float[] mean = new float[z];
    float[] spread = new float[z];
    for (int d = 0; d < z; d++) {
      double m = count == 0 ? 0 : sum[d] / count;
      double var = count == 0 ? 1 : Math.max(0, sq[d] / count - m * m);
      mean[d] = (float) m;
      // a dimension the encoder never uses stays at its own scale rather than blown up
      spread[d] = (float) Math.max(Math.sqrt(var), 1e-3);
    }
    ld.setScale(mean, spread);
  }

  /** The latents of texts {@code ids} (B × T, padded), flattened (B·k·Z). */
  private static float[] latents(DenoiserModel<LatentDiffusion> model, int[][] ids, int pad) {
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      float[][] keep = dev.diffulab.core.data.TrainBatch.unpacked(ids, pad).keep();
      return model.block().autoencoder().encode(model.store(), m.create(ids)
          .toType(DataType.INT64, false), m.create(keep), false).toFloatArray();
    }
  }

  /**
   * One step on texts {@code ids} (B × T) with {@code keep} 1 at real tokens: their latents from
   * the frozen encoder, a step t uniform in 1 … T and noise ε for each (from {@code r}), the
   * denoiser's ε̂ at x_t against ε by mean squared error; only the denoiser learns.
   */
  public Step step(int[][] ids, float[][] keep, double lr, Random r) {
    LatentDiffusion ld = model.block();
    int b = ids.length;
    int k = ld.autoencoder().latents();
    int z = ld.autoencoder().latentDim();
    int[] t = new int[b];
    float[] a = new float[b];
    float[] s = new float[b];
    float[] steps = new float[b];
    for (int i = 0; i < b; i++) {
      t[i] = 1 + r.nextInt(schedule.steps());
      a[i] = (float) Math.sqrt(schedule.alphaBar(t[i]));
      s[i] = (float) Math.sqrt(1 - schedule.alphaBar(t[i]));
      steps[i] = t[i];
    }
    float[] noise = new float[b * k * z];
    for (int j = 0; j < noise.length; j++) {
      noise[j] = (float) r.nextGaussian();
    }
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      // the frozen encoder, outside the gradient's record
      NDArray clean = ld.toDiffusion(ld.autoencoder().encode(model.store(), m.create(ids)
          .toType(DataType.INT64, false), m.create(keep), false)); // (B, 1, k, Z)
      Shape one = new Shape(b, 1, 1, 1);
      NDArray eps = m.create(noise, new Shape(b, 1, k, z));
      NDArray xt = clean.mul(m.create(a, one)).add(eps.mul(m.create(s, one))); // (B, 1, k, Z)
      NDArray tArray = m.create(steps); // (B)
      for (int attempt = 1;; attempt++) {
        NDArray loss;
        NDArray perText;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray out = ld.predictNoise(model.store(), xt, tArray, true); // (B, 1, k, Z)
          perText = out.sub(eps).square().reshape(b, -1).mean(new int[]{1}); // (B)
          loss = perText.mean(); // ()
          gc.backward(loss);
        }
        float norm = optimizer.gradientNorm();
        if (!Float.isFinite(norm) && attempt < 3) {
          optimizer.discardForRecompute();
          continue;
        }
        float gradNorm = optimizer.step(lr, norm);
        float[] level = new float[b];
        for (int i = 0; i < b; i++) {
          level[i] = s[i] * s[i];
        }
        return new Step(loss.getFloat(), gradNorm, level, perText.toFloatArray());
      }
    }
  }

  /**
   * The held-out denoising loss at steps spread over 1 … T ({@code levels} fractions of T):
   * the mean squared error of ε̂ on the texts' latents, one value a level, noise from
   * {@code seed}.
   */
  public static double[] heldOutLoss(DenoiserModel<LatentDiffusion> model,
      NoiseSchedule schedule, int[][] ids, int pad, double[] levels, long seed) {
    LatentDiffusion ld = model.block();
    Random r = new Random(seed);
    double[] out = new double[levels.length];
    float[][] keep = dev.diffulab.core.data.TrainBatch.unpacked(ids, pad).keep();
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray clean = ld.toDiffusion(ld.autoencoder().encode(model.store(), m.create(ids)
          .toType(DataType.INT64, false), m.create(keep), false)); // (B, 1, k, Z)
      Shape shape = clean.getShape();
      for (int l = 0; l < levels.length; l++) {
        int t = stepAtNoise(schedule, levels[l]);
        float[] noise = new float[(int) clean.size()];
        for (int j = 0; j < noise.length; j++) {
          noise[j] = (float) r.nextGaussian();
        }
        NDArray eps = m.create(noise, shape);
        NDArray xt = Scalars.mul(clean, (float) Math.sqrt(schedule.alphaBar(t)))
            .add(Scalars.mul(eps, (float) Math.sqrt(1 - schedule.alphaBar(t))));
        float[] steps = new float[(int) shape.get(0)];
        java.util.Arrays.fill(steps, t);
        NDArray pred = ld.predictNoise(model.store(), xt, m.create(steps), false);
        out[l] = pred.sub(eps).square().mean().getFloat();
      }
    }
    return out;
  }

  /** The step t whose noise share 1 − ᾱ_t is nearest {@code level} ∈ [0, 1]: 1 … T. */
  public static int stepAtNoise(NoiseSchedule schedule, double level) {
    int best = 1;
    for (int t = 1; t <= schedule.steps(); t++) {
      if (Math.abs(1 - schedule.alphaBar(t) - level) < Math
          .abs(1 - schedule.alphaBar(best) - level)) {
        best = t;
      }
    }
    return best;
  }

  /**
   * A DDIM run from noise to latents: {@code level} and {@code denoised} have one entry more than
   * the run has steps — first the noise it starts from (as a latent, to read what pure noise
   * decodes to), then after each step the denoised estimate x̂₀ that step made (n × k × Z, the
   * autoencoder's scale) with the share of noise 1 − ᾱ left after it; the last is the result.
   */
  public record Run(double[] level, List<float[]> denoised) {
    /** The DDIM steps taken. */
    public int steps() {
      return level.length - 1;
    }
  }

  /**
   * A run of {@code steps} DDIM steps for {@code n} latents, seeded; {@code eta} 0 is the
   * deterministic DDIM, 1 adds DDPM's noise.
   */
  public static Run sample(DenoiserModel<LatentDiffusion> model, NoiseSchedule schedule, int n,
      int steps, double eta, long seed) {
    LatentDiffusion ld = model.block();
    int k = ld.autoencoder().latents();
    int z = ld.autoencoder().latentDim();
    Random random = new Random(seed);
    float[] start = new float[n * k * z];
    for (int j = 0; j < start.length; j++) {
      start[j] = (float) random.nextGaussian();
    }
    int[] ts = schedule.samplingSteps(steps);
    double[] level = new double[ts.length + 1];
    List<float[]> denoised = new ArrayList<>();
    Shape shape = new Shape(n, 1, k, z);
    try (NDManager m = model.manager().newSubManager()) {
      NDArray x = m.create(start, shape);
      level[0] = 1 - schedule.alphaBar(ts[0]);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        denoised.add(ld.fromDiffusion(x).toFloatArray());
      }
      for (int i = 0; i < ts.length; i++) {
        int t = ts[i];
        int prev = i + 1 < ts.length ? ts[i + 1] : 0;
        level[i + 1] = 1 - schedule.alphaBar(prev);
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          float a = (float) Math.sqrt(schedule.alphaBar(t));
          float s = (float) Math.sqrt(1 - schedule.alphaBar(t));
          float[] tt = new float[n];
          java.util.Arrays.fill(tt, t);
          NDArray eps = ld.predictNoise(model.store(), x, m.create(tt), false);
          NDArray x0 = Scalars.div(x.sub(Scalars.mul(eps, s)), a); // (B, 1, k, Z)
          denoised.add(ld.fromDiffusion(x0).toFloatArray());
          double abPrev = schedule.alphaBar(prev);
          double sigma = schedule.ddimSigma(t, prev, eta);
          NDArray next = Scalars.mul(x0, (float) Math.sqrt(abPrev)).add(Scalars.mul(eps,
              (float) Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
          if (sigma > 0) {
            float[] w = new float[n * k * z];
            for (int j = 0; j < w.length; j++) {
              w[j] = (float) random.nextGaussian();
            }
            next = next.add(Scalars.mul(m.create(w, shape), (float) sigma));
          }
          NDScope.unregister(next);
          x.close();
          x = next;
        }
      }
    }
    return new Run(level, denoised);
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
