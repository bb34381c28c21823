package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import dev.diffulab.engine.model.Scalars;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.NoiseSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Sampling back from noise: DDIM (Song et al. 2021) over any evenly spaced sub-sequence of the
 * T steps with noise η ∈ [0, 1] — η = 0 deterministic, η = 1 on every step DDPM's ancestral
 * sampler (Ho et al. 2020) — and classifier-free guidance (Ho &amp; Salimans 2022): the output is
 * {@code u + w (c − u)} for the unconditional u and conditional c, so w = 0 is the
 * unconditional model, w = 1 the conditional one, w &gt; 1 guided. Each step: the prediction
 * turned into x̂₀ (clipped to [−1, 1]) and ε̂, then {@code x_prev = √ᾱ_prev x̂₀ + √(1 − ᾱ_prev −
 * σ²) ε̂ + σ z}. The start noise and every z come from {@code seed}, so a run is repeatable.
 * Guidance can be limited to the steps whose t/T lies in an interval [from, to] (Kynkäänniemi
 * et al. 2024); the other steps run the conditional model alone.
 */
public final class GaussianSampler {
  private GaussianSampler() {
  }

  /**
   * @param classes the class each sample is asked for, or null for unconditional samples
   * @param trace whether to keep x_t and x̂₀ of every step
   */
  public record Request(int count, int steps, double eta, double guidance, int[] classes,
      long seed, boolean trace, double guidanceFrom, double guidanceTo) {
    /** Guidance at every step. */
    public Request(int count, int steps, double eta, double guidance, int[] classes, long seed,
        boolean trace) {
      this(count, steps, eta, guidance, classes, seed, trace, 0, 1);
    }

    public static Request of(GaussianConfig.Sampler s, int[] classes, long seed) {
      return of(s, s.numSamples(), classes, seed, false);
    }

    /** {@code count} pictures with the settings of {@code s}, its guidance interval included. */
    public static Request of(GaussianConfig.Sampler s, int count, int[] classes, long seed,
        boolean trace) {
      return new Request(count, s.steps(), s.eta(), s.guidance(), classes, seed, trace,
          s.guidanceFrom(), s.guidanceTo());
    }

    /**
     * Network passes this request makes on {@code schedule} per picture: one a step, two at a
     * guided step.
     */
    public int passes(NoiseSchedule schedule) {
      int n = 0;
      for (int t : schedule.samplingSteps(steps)) {
        n += guidesAt(t, schedule.steps()) ? 2 : 1;
      }
      return n;
    }

    /**
     * Whether step {@code t} of {@code total} is guided: classes asked, a weight other than the
     * neutral 1, and t/T inside the guidance interval. The pass count and the sampler both ask
     * this, so they cannot drift apart.
     */
    boolean guidesAt(int t, int total) {
      double f = (double) t / total;
      return classes != null && guidance != 1.0 && f >= guidanceFrom && f <= guidanceTo;
    }

    /** The same settings for {@code count} pictures of {@code classes} from {@code seed}. */
    Request part(int count, int[] classes, long seed) {
      return new Request(count, steps, eta, guidance, classes, seed, false, guidanceFrom,
          guidanceTo);
    }
  }

  /**
   * The samples (count × H·W, in [−1, 1]) and, when traced, x_t and x̂₀ before every step with
   * the step numbers visited.
   */
  public record Result(float[][] images, int[] timesteps, List<float[][]> noisy,
      List<float[][]> denoised) {
  }

  /**
   * Pictures a pass holds at most: on a CPU a larger batch runs slower per picture (a U-Net batch
   * of 128 took 2.7 times one of 64), so a large untraced request is drawn in chunks.
   */
  static final int CHUNK = 64;

  public static Result sample(GaussianModel model, Request r, BooleanSupplier cancelled,
      BiConsumer<Integer, Integer> progress) {
    if (r.trace() || r.count() <= CHUNK) {
      return sampleBatch(model, r, cancelled, progress);
    }
    // chunk c draws from its own seed (chunk 0 from the request's, so the first CHUNK pictures
    // are those a request of CHUNK draws)
    int chunks = (r.count() + CHUNK - 1) / CHUNK;
    float[][] images = new float[r.count()][];
    int[] timesteps = null;
    for (int c = 0; c < chunks; c++) {
      int from = c * CHUNK;
      int count = Math.min(CHUNK, r.count() - from);
      int[] classes = r.classes() == null
          ? null
          : java.util.Arrays.copyOfRange(r.classes(), from, from + count);
      long seed = c == 0 ? r.seed() : r.seed() ^ (0x9E3779B97F4A7C15L * c);
      int done = c;
      BiConsumer<Integer, Integer> step = progress == null
          ? null
          : (i, all) -> progress.accept(done * all + i, chunks * all);
      Result part = sampleBatch(model, r.part(count, classes, seed), cancelled, step);
      System.arraycopy(part.images(), 0, images, from, count);
      timesteps = part.timesteps();
    }
    return new Result(images, timesteps, List.of(), List.of());
  }

  private static Result sampleBatch(GaussianModel model, Request r, BooleanSupplier cancelled,
      BiConsumer<Integer, Integer> progress) {
    NoiseSchedule schedule = model.config().schedule();
    int n = r.count();
    int h = model.height();
    int w = model.width();
    int hw = h * w;
    Random random = new Random(r.seed());
    float[] start = new float[n * hw];
    for (int k = 0; k < start.length; k++) {
      start[k] = (float) random.nextGaussian();
    }
    int[] ts = schedule.samplingSteps(r.steps());
    boolean conditional = r.classes() != null && model.classes() > 0;
    long none = model.classes();
    List<float[][]> noisy = new ArrayList<>();
    List<float[][]> denoised = new ArrayList<>();
    try (NDManager m = model.manager().newSubManager()) {
      Shape img = new Shape(n, 1, h, w);
      NDArray x = m.create(start, img); // (B, 1, H, W)
      long[] asked = new long[n];
      long[] unasked = new long[n];
      for (int i = 0; i < n; i++) {
        asked[i] = conditional ? r.classes()[i] : none;
        unasked[i] = none;
      }
      NDArray condLabels = m.create(asked); // (B)
      NDArray noLabels = m.create(unasked); // (B)
      for (int i = 0; i < ts.length; i++) {
        if (cancelled.getAsBoolean()) {
          throw new dev.diffulab.engine.runtime.CancelledException("sampling");
        }
        int t = ts[i];
        int prev = i + 1 < ts.length ? ts[i + 1] : 0;
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          float a = (float) Math.sqrt(schedule.alphaBar(t));
          float s = (float) Math.sqrt(1 - schedule.alphaBar(t));
          NDArray out = pass(model, x, t, condLabels, m);
          if (conditional && r.guidesAt(t, schedule.steps())) {
            // the unconditional pass apart, not as a batch of 2B: the same arithmetic, and on a
            // CPU twice the batch runs more than twice as long (caches)
            NDArray u = pass(model, x, t, noLabels, m);
            out = u.add(Scalars.mul(out.sub(u), (float) r.guidance())); // (B, 1, H, W)
          }
          Shape one = new Shape(1, 1, 1, 1);
          NDArray x0 = model.denoised(out, x, m.create(new float[]{a}, one),
              m.create(new float[]{s}, one)).clip(-1f, 1f); // (B, 1, H, W)
          // ε̂ consistent with the clipped x̂₀
          NDArray eps = Scalars.div(x.sub(Scalars.mul(x0, a)), s);
          if (r.trace()) {
            noisy.add(rows(x, n, hw));
            denoised.add(rows(x0, n, hw));
          }
          double abPrev = schedule.alphaBar(prev);
          double sigma = schedule.ddimSigma(t, prev, r.eta());
          NDArray next = Scalars.mul(x0, (float) Math.sqrt(abPrev)).add(Scalars.mul(eps,
              (float) Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
          if (sigma > 0) {
            float[] z = new float[n * hw];
            for (int k = 0; k < z.length; k++) {
              z[k] = (float) random.nextGaussian();
            }
            next = next.add(Scalars.mul(m.create(z, img), (float) sigma));
          }
          NDScope.unregister(next);
          x.close();
          x = next;
        }
        if (progress != null) {
          progress.accept(i + 1, ts.length);
        }
      }
      return new Result(rows(x, n, hw), ts, noisy, denoised);
    }
  }

  /**
   * The network's output at x_t for {@code labels}; a forward pass that comes out non-finite is
   * run again (see GaussianTrainer).
   */
  private static NDArray pass(GaussianModel model, NDArray x, int t, NDArray labels,
      NDManager m) {
    float[] steps = new float[(int) x.getShape().get(0)];
    java.util.Arrays.fill(steps, t);
    NDArray out = model.predict(x, m.create(steps), labels, false);
    for (int again = 0; again < 2 && !Float.isFinite(out.sum().getFloat()); again++) {
      out = model.predict(x, m.create(steps), labels, false);
    }
    return out;
  }

  private static float[][] rows(NDArray x, int n, int hw) {
    float[] flat = x.toFloatArray();
    float[][] out = new float[n][hw];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * hw, out[i], 0, hw);
    }
    return out;
  }
}
