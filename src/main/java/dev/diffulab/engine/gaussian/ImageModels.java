package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.gaussian.ImageNoising;
import dev.diffulab.core.gaussian.NoiseSchedule;
import dev.diffulab.engine.model.Scalars;
import java.nio.file.Path;
import java.util.Random;

/**
 * The image model a window works with, kept loaded on the engine thread between requests (a
 * slider dragged over the forward process asks many times a second): reloaded only when another
 * checkpoint, or a newer write of the same one, is asked for.
 */
public final class ImageModels implements AutoCloseable {
  private GaussianModel model;
  private ImageCheckpoint.Contents contents;
  private String key;

  /** The loaded model of checkpoint {@code dir}. */
  public GaussianModel get(Path dir, NDManager root) {
    ImageCheckpoint.Contents c = ImageCheckpoint.read(dir);
    String k = dir.toAbsolutePath().normalize() + "@" + c.manifest().created() + "@"
        + c.manifest().step();
    if (!k.equals(key)) {
      close();
      model = ImageCheckpoint.load(c, root);
      contents = c;
      key = k;
    }
    return model;
  }

  /** The checkpoint of the loaded model. */
  public ImageCheckpoint.Contents contents() {
    return contents;
  }

  /**
   * Noises {@code x0} (H·W in [−1, 1]) to the step {@code fraction} of the way along the
   * forward process with noise from {@code seed}, and asks {@code model} for x̂₀ and ε̂ there
   * (for class {@code label}, or unconditionally when it is negative).
   */
  public static ImageNoising noise(GaussianModel model, float[] x0, int label, double fraction,
      long seed) {
    NoiseSchedule schedule = model.config().schedule();
    int t = schedule.stepAt(fraction);
    int hw = x0.length;
    float[] eps = new float[hw];
    Random r = new Random(seed);
    for (int k = 0; k < hw; k++) {
      eps[k] = (float) r.nextGaussian();
    }
    float a = (float) Math.sqrt(schedule.alphaBar(t));
    float s = (float) Math.sqrt(1 - schedule.alphaBar(t));
    float[] xt = new float[hw];
    for (int k = 0; k < hw; k++) {
      xt[k] = a * x0[k] + s * eps[k];
    }
    try (NDManager m = model.manager().newSubManager()) {
      Shape img = new Shape(1, 1, model.height(), model.width());
      NDArray x = m.create(xt, img);
      long asked = label >= 0 && model.classes() > 0 ? label : model.classes();
      NDArray out = model.predict(x, m.create(new float[]{t}), m.create(new long[]{asked}),
          false);
      NDArray x0hat = switch (model.config().prediction()) {
        case EPSILON -> Scalars.div(x.sub(Scalars.mul(out, s)), a);
        case X0 -> out;
        case V -> Scalars.mul(x, a).sub(Scalars.mul(out, s));
      };
      NDArray epsHat = switch (model.config().prediction()) {
        case EPSILON -> out;
        case X0 -> Scalars.div(x.sub(Scalars.mul(out, a)), s);
        case V -> Scalars.mul(out, a).add(Scalars.mul(x, s));
      };
      float[] denoised = x0hat.clip(-1f, 1f).toFloatArray();
      float[] predicted = epsHat.toFloatArray();
      double noiseError = 0;
      double imageError = 0;
      for (int k = 0; k < hw; k++) {
        noiseError += (predicted[k] - eps[k]) * (double) (predicted[k] - eps[k]);
        imageError += (denoised[k] - x0[k]) * (double) (denoised[k] - x0[k]);
      }
      return new ImageNoising(t, schedule.steps(), fraction, model.height(), model.width(), xt,
          denoised, predicted, eps, noiseError / hw, imageError / hw, schedule.snr(t));
    }
  }

  /**
   * The errors of ε̂ and x̂₀ for {@code x0} at {@code points} fractions from 0.1 to 1 of the
   * forward process, the noise of {@code seed} (as {@link #noise}), in one batched pass.
   */
  public static dev.diffulab.core.gaussian.NoiseCurve curve(GaussianModel model, float[] x0,
      int label, long seed, int points) {
    NoiseSchedule schedule = model.config().schedule();
    int hw = x0.length;
    float[] eps = new float[hw];
    Random r = new Random(seed);
    for (int k = 0; k < hw; k++) {
      eps[k] = (float) r.nextGaussian();
    }
    double[] fraction = new double[points];
    int[] ts = new int[points];
    float[] steps = new float[points];
    float[] a = new float[points];
    float[] s = new float[points];
    float[] xt = new float[points * hw];
    for (int i = 0; i < points; i++) {
      fraction[i] = 0.1 + 0.9 * i / Math.max(1, points - 1);
      ts[i] = schedule.stepAt(fraction[i]);
      steps[i] = ts[i];
      a[i] = (float) Math.sqrt(schedule.alphaBar(ts[i]));
      s[i] = (float) Math.sqrt(1 - schedule.alphaBar(ts[i]));
      for (int k = 0; k < hw; k++) {
        xt[i * hw + k] = a[i] * x0[k] + s[i] * eps[k];
      }
    }
    long asked = label >= 0 && model.classes() > 0 ? label : model.classes();
    long[] labels = new long[points];
    java.util.Arrays.fill(labels, asked);
    try (NDManager m = model.manager().newSubManager()) {
      Shape img = new Shape(points, 1, model.height(), model.width());
      NDArray x = m.create(xt, img);
      NDArray sa = m.create(a, new Shape(points, 1, 1, 1));
      NDArray ss = m.create(s, new Shape(points, 1, 1, 1));
      NDArray out = model.predict(x, m.create(steps), m.create(labels), false);
      NDArray x0hat = switch (model.config().prediction()) {
        case EPSILON -> x.sub(out.mul(ss)).div(sa);
        case X0 -> out;
        case V -> x.mul(sa).sub(out.mul(ss));
      };
      NDArray epsHat = switch (model.config().prediction()) {
        case EPSILON -> out;
        case X0 -> x.sub(out.mul(sa)).div(ss);
        case V -> out.mul(sa).add(x.mul(ss));
      };
      float[] denoised = x0hat.clip(-1f, 1f).toFloatArray();
      float[] predicted = epsHat.toFloatArray();
      double[] noiseError = new double[points];
      double[] imageError = new double[points];
      for (int i = 0; i < points; i++) {
        for (int k = 0; k < hw; k++) {
          double de = predicted[i * hw + k] - eps[k];
          double dx = denoised[i * hw + k] - x0[k];
          noiseError[i] += de * de / hw;
          imageError[i] += dx * dx / hw;
        }
      }
      return new dev.diffulab.core.gaussian.NoiseCurve(fraction, ts, noiseError, imageError);
    }
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
      model = null;
      contents = null;
      key = null;
    }
  }
}
