package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.gaussian.ImageNoising;
import dev.diffulab.core.gaussian.NoiseSchedule;
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
    Guesses g = guess(model, x0, label, seed, new int[]{t});
    return new ImageNoising(t, schedule.steps(), fraction, model.height(), model.width(),
        g.noisy()[0], g.denoised()[0], g.predicted()[0], g.noise(), g.noiseError()[0],
        g.imageError()[0], schedule.snr(t));
  }

  /**
   * The errors of ε̂ and x̂₀ for {@code x0} at {@code points} fractions from 0.1 to 1 of the
   * forward process, the noise of {@code seed} (as {@link #noise}), in one batched pass.
   */
  public static dev.diffulab.core.gaussian.NoiseCurve curve(GaussianModel model, float[] x0,
      int label, long seed, int points) {
    NoiseSchedule schedule = model.config().schedule();
    double[] fraction = new double[points];
    int[] ts = new int[points];
    for (int i = 0; i < points; i++) {
      fraction[i] = 0.1 + 0.9 * i / Math.max(1, points - 1);
      ts[i] = schedule.stepAt(fraction[i]);
    }
    Guesses g = guess(model, x0, label, seed, ts);
    return new dev.diffulab.core.gaussian.NoiseCurve(fraction, ts, g.noiseError(),
        g.imageError());
  }

  /** One picture noised to each step of {@code ts}, and the model's x̂₀ and ε̂ at each. */
  private record Guesses(float[] noise, float[][] noisy, float[][] denoised,
      float[][] predicted, double[] noiseError, double[] imageError) {
  }

  /**
   * x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε for each t of {@code ts} with one ε drawn from {@code seed},
   * and the model's x̂₀ (clipped to [−1, 1]) and ε̂ there, in one batched pass, with the mean
   * squared error of each against the truth.
   */
  private static Guesses guess(GaussianModel model, float[] x0, int label, long seed,
      int[] ts) {
    NoiseSchedule schedule = model.config().schedule();
    int hw = x0.length;
    int n = ts.length;
    float[] eps = new float[hw];
    Random r = new Random(seed);
    for (int k = 0; k < hw; k++) {
      eps[k] = (float) r.nextGaussian();
    }
    float[] steps = new float[n];
    float[] a = new float[n];
    float[] s = new float[n];
    float[] xt = new float[n * hw];
    for (int i = 0; i < n; i++) {
      steps[i] = ts[i];
      a[i] = (float) Math.sqrt(schedule.alphaBar(ts[i]));
      s[i] = (float) Math.sqrt(1 - schedule.alphaBar(ts[i]));
      for (int k = 0; k < hw; k++) {
        xt[i * hw + k] = a[i] * x0[k] + s[i] * eps[k];
      }
    }
    long[] labels = new long[n];
    java.util.Arrays.fill(labels, label >= 0 && model.classes() > 0 ? label : model.classes());
    try (NDManager m = model.manager().newSubManager()) {
      NDArray x = m.create(xt, new Shape(n, 1, model.height(), model.width()));
      NDArray sa = m.create(a, new Shape(n, 1, 1, 1));
      NDArray ss = m.create(s, new Shape(n, 1, 1, 1));
      NDArray out = model.predict(x, m.create(steps), m.create(labels), false);
      float[] denoised = model.denoised(out, x, sa, ss).clip(-1f, 1f).toFloatArray();
      float[] predicted = model.noise(out, x, sa, ss).toFloatArray();
      float[][] noisy = new float[n][];
      float[][] clean = new float[n][];
      float[][] guessed = new float[n][];
      double[] noiseError = new double[n];
      double[] imageError = new double[n];
      for (int i = 0; i < n; i++) {
        noisy[i] = java.util.Arrays.copyOfRange(xt, i * hw, (i + 1) * hw);
        clean[i] = java.util.Arrays.copyOfRange(denoised, i * hw, (i + 1) * hw);
        guessed[i] = java.util.Arrays.copyOfRange(predicted, i * hw, (i + 1) * hw);
        for (int k = 0; k < hw; k++) {
          double de = guessed[i][k] - eps[k];
          double dx = clean[i][k] - x0[k];
          noiseError[i] += de * de / hw;
          imageError[i] += dx * dx / hw;
        }
      }
      return new Guesses(eps, noisy, clean, guessed, noiseError, imageError);
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
