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

  /**
   * The input texts a conditional model reads, one a row: ids (B × S) with keep 1 at real
   * tokens.
   */
  public record Inputs(int[][] ids, float[][] keep) {
    public int size() {
      return ids.length;
    }
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
          .toType(DataType.INT64, false), m.create(keep), false).toFloatArray(); // (B·k·Z)
    }
  }

  /**
   * One step on texts {@code ids} (B × T) with {@code keep} 1 at real tokens: their latents from
   * the frozen encoder, a step t uniform in 1 … T and noise ε for each (from {@code r}), the
   * denoiser's v̂ at x_t against v = √ᾱ_t·ε − √(1 − ᾱ_t)·x₀ by mean squared error; only the
   * denoiser learns.
   */
  public Step step(int[][] ids, float[][] keep, double lr, Random r) {
    return step(ids, keep, null, 0, lr, r);
  }

  /**
   * As above for a conditional model: each row's input text {@code inputs} read by the
   * condition's encoder (which learns with the denoiser), dropped for a share {@code dropout}
   * of rows (drawn from {@code r}) so the denoiser also learns without it.
   */
  public Step step(int[][] ids, float[][] keep, Inputs inputs, double dropout, double lr,
      Random r) {
    LatentDiffusion ld = model.block();
    int b = ids.length;
    int k = ld.autoencoder().latents();
    int z = ld.autoencoder().latentDim();
    int[] t = new int[b];
    float[] level = new float[b];
    for (int i = 0; i < b; i++) {
      t[i] = 1 + r.nextInt(schedule.steps());
      level[i] = (float) (1 - schedule.alphaBar(t[i]));
    }
    float[] noise = gaussian(r, b * k * z);
    float[] kept = new float[b];
    for (int i = 0; i < b; i++) {
      kept[i] = inputs != null && r.nextDouble() >= dropout ? 1f : 0f;
    }
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      // the frozen encoder, outside the gradient's record
      NDArray clean = ld.diffusionLatents(model.store(), m, ids, keep); // (B, 1, k, Z)
      NDArray eps = m.create(noise, clean.getShape());
      NDArray xt = noised(schedule, clean, eps, t); // (B, 1, k, Z)
      NDArray v = velocity(schedule, clean, eps, t); // (B, 1, k, Z)
      NDArray tArray = m.create(toFloat(t)); // (B)
      for (int attempt = 1;; attempt++) {
        NDArray loss;
        NDArray perText;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          LatentDiffusion.Condition c = inputs == null
              ? null
              : ld.encodeCondition(model.store(), m, inputs.ids(), inputs.keep(), true)
                  .keepRows(m.create(kept));
          NDArray out = ld.predictVelocity(model.store(), xt, tArray, c, true); // (B,1,k,Z)
          perText = out.sub(v).square().reshape(b, -1).mean(new int[]{1}); // (B)
          loss = perText.mean(); // ()
          gc.backward(loss);
        }
        float norm = optimizer.gradientNorm();
        if (!Float.isFinite(norm) && attempt < 3) {
          optimizer.discardForRecompute();
          continue;
        }
        float gradNorm = optimizer.step(lr, norm);
        return new Step(loss.getFloat(), gradNorm, level, perText.toFloatArray());
      }
    }
  }

  /** {@code n} standard normal draws from {@code r}. */
  private static float[] gaussian(Random r, int n) {
    float[] out = new float[n];
    for (int j = 0; j < n; j++) {
      out[j] = (float) r.nextGaussian();
    }
    return out;
  }

  private static float[] toFloat(int[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /**
   * The forward process: x_t = √ᾱ_t · x₀ + √(1 − ᾱ_t) · ε for each row's step {@code t}
   * (B), on (B, …) arrays.
   */
  public static NDArray noised(NoiseSchedule schedule, NDArray clean, NDArray eps, int[] t) {
    return clean.mul(perRow(clean, signal(schedule, t))).add(eps.mul(perRow(clean,
        noise(schedule, t))));
  }

  /** The velocity v = √ᾱ_t · ε − √(1 − ᾱ_t) · x₀ the denoiser learns, per row's step. */
  public static NDArray velocity(NoiseSchedule schedule, NDArray clean, NDArray eps, int[] t) {
    return eps.mul(perRow(clean, signal(schedule, t))).sub(clean.mul(perRow(clean,
        noise(schedule, t))));
  }

  /** x̂₀ = √ᾱ_t · x_t − √(1 − ᾱ_t) · v̂ at one step t for every row. */
  public static NDArray denoised(NoiseSchedule schedule, NDArray xt, NDArray v, int t) {
    return Scalars.mul(xt, (float) Math.sqrt(schedule.alphaBar(t)))
        .sub(Scalars.mul(v, (float) Math.sqrt(1 - schedule.alphaBar(t))));
  }

  /** √ᾱ_t of each row's step. */
  private static float[] signal(NoiseSchedule schedule, int[] t) {
    float[] out = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = (float) Math.sqrt(schedule.alphaBar(t[i]));
    }
    return out;
  }

  /** √(1 − ᾱ_t) of each row's step. */
  private static float[] noise(NoiseSchedule schedule, int[] t) {
    float[] out = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = (float) Math.sqrt(1 - schedule.alphaBar(t[i]));
    }
    return out;
  }

  /** One value a row, shaped to multiply {@code like} (B, …) row by row. */
  private static NDArray perRow(NDArray like, float[] values) {
    long[] one = new long[like.getShape().dimension()];
    java.util.Arrays.fill(one, 1);
    one[0] = values.length;
    return like.getManager().create(values, new Shape(one));
  }

  /**
   * The held-out denoising loss at steps spread over 1 … T ({@code levels} fractions of T):
   * the mean squared error of v̂ on the texts' latents, one value a level, noise from
   * {@code seed}.
   */
  public static double[] heldOutLoss(DenoiserModel<LatentDiffusion> model,
      NoiseSchedule schedule, int[][] ids, int pad, double[] levels, long seed) {
    return heldOutLoss(model, schedule, ids, pad, null, levels, seed);
  }

  /** As above, a conditional model reading each text's input in {@code inputs}. */
  public static double[] heldOutLoss(DenoiserModel<LatentDiffusion> model,
      NoiseSchedule schedule, int[][] ids, int pad, Inputs inputs, double[] levels,
      long seed) {
    return heldOutLosses(model, schedule, ids, pad, inputs, levels, seed, false).read();
  }

  /**
   * The held-out error at each level with the inputs read and, where asked, on the same noised
   * latents with no input (against the first, how much the inputs tell the denoiser).
   */
  public record LevelLosses(double[] read, java.util.Optional<double[]> unread) {
  }

  /**
   * As above, and when {@code alsoUnread} the same noised latents denoised again with no input.
   * The texts' latents are encoded once for both.
   */
  public static LevelLosses heldOutLosses(DenoiserModel<LatentDiffusion> model,
      NoiseSchedule schedule, int[][] ids, int pad, Inputs inputs, double[] levels,
      long seed, boolean alsoUnread) {
    LatentDiffusion ld = model.block();
    Random r = new Random(seed);
    double[] out = new double[levels.length];
    double[] unread = alsoUnread ? new double[levels.length] : null;
    float[][] keep = dev.diffulab.core.data.TrainBatch.unpacked(ids, pad).keep();
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray clean = ld.diffusionLatents(model.store(), m, ids, keep); // (B, 1, k, Z)
      LatentDiffusion.Condition c = inputs == null
          ? null
          : ld.encodeCondition(model.store(), m, inputs.ids(), inputs.keep(), false);
      int b = ids.length;
      for (int l = 0; l < levels.length; l++) {
        int[] t = new int[b];
        java.util.Arrays.fill(t, stepAtNoise(schedule, levels[l]));
        NDArray eps = m.create(gaussian(r, (int) clean.size()), clean.getShape());
        NDArray xt = noised(schedule, clean, eps, t);
        NDArray pred = ld.predictVelocity(model.store(), xt, m.create(toFloat(t)), c, false);
        NDArray v = velocity(schedule, clean, eps, t);
        out[l] = pred.sub(v).square().mean().getFloat();
        if (unread != null) {
          NDArray alone = ld.predictVelocity(model.store(), xt, m.create(toFloat(t)), null,
              false);
          unread[l] = alone.sub(v).square().mean().getFloat();
        }
      }
    }
    return new LevelLosses(out, java.util.Optional.ofNullable(unread));
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
    return sample(model, schedule, n, steps, eta, null, 1.0, 1.0, seed);
  }

  /**
   * As above for a conditional model: row i reads {@code inputs} row i (null: no input, the
   * model's unconditional texts), with classifier-free guidance of weight {@code guidance} —
   * v̂ = u + w (c − u) for the unconditional u and conditional c, so 1 is the conditional model
   * (the same guidance as on ε̂, v being linear in it at a given x_t). The start noise and η's
   * fresh noise are scaled by {@code temperature}: 1 samples the model's distribution, below 1
   * starts nearer the centre of the latents' Gaussian, where the commonest latents come from.
   */
  public static Run sample(DenoiserModel<LatentDiffusion> model, NoiseSchedule schedule, int n,
      int steps, double eta, Inputs inputs, double guidance, double temperature, long seed) {
    LatentDiffusion ld = model.block();
    int k = ld.autoencoder().latents();
    int z = ld.autoencoder().latentDim();
    Random random = new Random(seed);
    float[] start = new float[n * k * z];
    for (int j = 0; j < start.length; j++) {
      start[j] = (float) (temperature * random.nextGaussian());
    }
    int[] ts = schedule.samplingSteps(steps);
    double[] level = new double[ts.length + 1];
    List<float[]> denoised = new ArrayList<>();
    Shape shape = new Shape(n, 1, k, z);
    try (NDManager m = model.manager().newSubManager()) {
      NDArray x = m.create(start, shape);
      level[0] = 1 - schedule.alphaBar(ts[0]);
      LatentDiffusion.Condition c = null;
      boolean guided = inputs != null && guidance != 1.0;
      if (inputs != null) {
        c = ld.encodeCondition(model.store(), m, inputs.ids(), inputs.keep(), false);
        if (guided) {
          c = c.concat(c.none()); // conditional rows, then the same without the input
        }
      }
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
          float[] tt = new float[guided ? 2 * n : n];
          java.util.Arrays.fill(tt, t);
          NDArray v;
          if (guided) {
            NDArray both = ld.predictVelocity(model.store(), x.concat(x, 0), m.create(tt), c,
                false); // (2B, 1, k, Z)
            NDArray cond = both.get("0:" + n);
            NDArray free = both.get(n + ":");
            v = free.add(Scalars.mul(cond.sub(free), (float) guidance));
          } else {
            v = ld.predictVelocity(model.store(), x, m.create(tt), c, false);
          }
          NDArray x0 = Scalars.mul(x, a).sub(Scalars.mul(v, s)); // (B, 1, k, Z)
          NDArray eps = Scalars.mul(x, s).add(Scalars.mul(v, a)); // (B, 1, k, Z)
          denoised.add(ld.fromDiffusion(x0).toFloatArray());
          double abPrev = schedule.alphaBar(prev);
          double sigma = schedule.ddimSigma(t, prev, eta);
          NDArray next = Scalars.mul(x0, (float) Math.sqrt(abPrev)).add(Scalars.mul(eps,
              (float) Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
          if (sigma > 0) {
            float[] w = new float[n * k * z];
            for (int j = 0; j < w.length; j++) {
              w[j] = (float) (temperature * random.nextGaussian());
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
