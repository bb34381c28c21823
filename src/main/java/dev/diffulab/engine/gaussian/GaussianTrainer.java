package dev.diffulab.engine.gaussian;

import ai.djl.engine.Engine;
import dev.diffulab.engine.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.NoiseSchedule;
import dev.diffulab.engine.model.AdamW;
import java.util.Random;

/**
 * One optimisation step of Gaussian diffusion, written out (DDPM's Algorithm 1): a step t drawn
 * uniformly from 1 … T for every picture, x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε, the network's
 * prediction of ε (or x₀, or v = √ᾱ ε − √(1−ᾱ) x₀) against the truth by MSE or Huber loss,
 * backward, clip, AdamW. With label dropout a picture's class is replaced by "no class" at
 * random, so one network learns both the conditional and the unconditional model that
 * classifier-free guidance mixes.
 */
public final class GaussianTrainer implements AutoCloseable {
  private final GaussianModel model;
  private final NoiseSchedule schedule;
  private final AdamW optimizer;

  /** What a step measured: the loss and each picture's step t and own loss. */
  public record Step(float loss, float gradNorm, int[] t, float[] perImage) {
  }

  public GaussianTrainer(GaussianModel model) {
    this.model = model;
    this.schedule = model.config().schedule();
    this.optimizer = new AdamW(model.parameters(), model.manager(), 0.0, 1.0);
  }

  public AdamW optimizer() {
    return optimizer;
  }

  public NoiseSchedule schedule() {
    return schedule;
  }

  /**
   * @param x0 pictures in [−1, 1], (B × H·W)
   * @param labels their classes
   */
  public Step step(float[][] x0, int[] labels, double lr, Random r) {
    int b = x0.length;
    int hw = model.height() * model.width();
    int[] t = new int[b];
    float[] a = new float[b];
    float[] s = new float[b];
    long[] label = new long[b];
    double dropout = model.config().model().labelDropout();
    for (int i = 0; i < b; i++) {
      t[i] = 1 + r.nextInt(schedule.steps());
      a[i] = (float) Math.sqrt(schedule.alphaBar(t[i]));
      s[i] = (float) Math.sqrt(1 - schedule.alphaBar(t[i]));
      boolean none = model.classes() == 0 || r.nextDouble() < dropout;
      label[i] = none ? model.classes() : labels[i];
    }
    float[] flat = new float[b * hw];
    for (int i = 0; i < b; i++) {
      System.arraycopy(x0[i], 0, flat, i * hw, hw);
    }
    // ε from the run's seeded generator, so a step is the same wherever it runs
    float[] noise = new float[b * hw];
    for (int k = 0; k < noise.length; k++) {
      noise[k] = (float) r.nextGaussian();
    }
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      Shape img = new Shape(b, 1, model.height(), model.width());
      NDArray clean = m.create(flat, img); // (B, 1, H, W)
      NDArray eps = m.create(noise, img); // (B, 1, H, W)
      NDArray sa = m.create(a, new Shape(b, 1, 1, 1));
      NDArray ss = m.create(s, new Shape(b, 1, 1, 1));
      NDArray xt = clean.mul(sa).add(eps.mul(ss)); // (B, 1, H, W)
      NDArray target = switch (model.config().prediction()) {
        case EPSILON -> eps;
        case X0 -> clean;
        case V -> eps.mul(sa).sub(clean.mul(ss));
      };
      float[] steps = new float[b];
      for (int i = 0; i < b; i++) {
        steps[i] = t[i];
      }
      NDArray tArray = m.create(steps); // (B)
      NDArray labelArray = m.create(label); // (B)
      // a pass that comes out non-finite is computed again on the same inputs, as the text
      // trainers do (see AdamW#discardForRecompute); a guard, its known cause being fixed
      for (int attempt = 1;; attempt++) {
        NDArray perImage;
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray out = model.predict(xt, tArray, labelArray, true); // (B, 1, H, W)
          NDArray diff = out.sub(target);
          NDArray elementLoss = "huber".equals(model.config().diffusion().loss())
              ? huber(diff)
              : diff.square(); // (B, 1, H, W)
          perImage = elementLoss.reshape(b, -1).mean(new int[]{1}); // (B)
          loss = perImage.mean(); // ()
          gc.backward(loss);
        }
        float value = loss.getFloat();
        float norm = optimizer.gradientNorm();
        if ((!Float.isFinite(value) || !Float.isFinite(norm)) && attempt < 3) {
          optimizer.discardForRecompute();
          continue;
        }
        float gradNorm = optimizer.step(lr, norm);
        return new Step(value, gradNorm, t, perImage.toFloatArray());
      }
    }
  }

  /** Huber loss with δ = 1 (smooth L1), elementwise. */
  private static NDArray huber(NDArray d) {
    NDArray abs = d.abs();
    NDArray small = abs.lt(1f).toType(DataType.FLOAT32, false);
    return Scalars.mul(d.square(), 0.5f).mul(small)
        .add(Scalars.sub(abs, 0.5f).mul(Scalars.add(small.neg(), 1f)));
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
