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
