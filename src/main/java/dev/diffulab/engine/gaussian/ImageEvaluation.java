package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import dev.diffulab.engine.model.Scalars;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.image.ImageSet;
import dev.diffulab.core.metrics.FrechetDistance;
import dev.diffulab.engine.image.ClassifierTraining;
import dev.diffulab.engine.image.ImageClassifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the classifier says of a set of image samples: the share it recognises (top class ≥ 0.9
 * sure), how the predicted classes spread (against uniform) and, for samples asked for a class,
 * how often they are that class; the Fréchet distance to the test split in the classifier's
 * features, beside the distance between two real sets of the same size (the floor); and copies —
 * samples whose nearest training picture is closer than {@link #COPY_RMS} (root-mean-square
 * pixel difference on [−1, 1]), beside the same rate for real test pictures.
 */
public final class ImageEvaluation {
  /** The copy threshold: a root-mean-square pixel difference on the [−1, 1] scale. */
  public static final double COPY_RMS = 0.1;

  private ImageEvaluation() {
  }

  public static Map<String, Object> measure(ImageClassifier classifier, float[][] samples,
      int[] asked, ImageSet test, ImageSet train) {
    Map<String, Object> out = new LinkedHashMap<>();
    int n = samples.length;
    int k = classifier.classes();
    try (NDManager m = classifier.manager().newSubManager()) {
      NDArray x = stack(m, samples);
      float[][] probs = rows(classifier.probabilities(x));
      float[][] features = rows(classifier.features(x));
      int recognised = 0;
      int correct = 0;
      int[] histogram = new int[k];
      for (int i = 0; i < n; i++) {
        int best = 0;
        for (int c = 1; c < k; c++) {
          if (probs[i][c] > probs[i][best]) {
            best = c;
          }
        }
        histogram[best]++;
        recognised += probs[i][best] >= 0.9f ? 1 : 0;
        if (asked != null) {
          correct += best == asked[i] ? 1 : 0;
        }
      }
      out.put("num_samples", n);
      out.put("recognisable_fraction", (double) recognised / n);
      double[] share = new double[k];
      double tv = 0;
      for (int c = 0; c < k; c++) {
        share[c] = (double) histogram[c] / n;
        tv += Math.abs(share[c] - 1.0 / k) / 2;
      }
      out.put("class_shares", share);
      out.put("class_tv_from_uniform", tv);
      if (asked != null) {
        out.put("asked_class_accuracy", (double) correct / n);
      }
      // the real floor: two disjoint sets of test pictures, each as large as the samples
      int size = Math.min(n, test.size() / 2);
      int[] a = new int[size];
      int[] b = new int[size];
      java.util.Random r = new java.util.Random(17);
      int[] perm = ClassifierTraining.permutation(test.size(), r);
      System.arraycopy(perm, 0, a, 0, size);
      System.arraycopy(perm, size, b, 0, size);
      float[][] realA = rows(classifier.features(ImageClassifier.batch(m, test, a)));
      float[][] realB = rows(classifier.features(ImageClassifier.batch(m, test, b)));
      out.put("frechet_distance", FrechetDistance.between(features, realA));
      out.put("frechet_distance_real_vs_real", FrechetDistance.between(realB, realA));
      if (train != null) {
        out.put("copy_fraction", copies(m, x, train));
        out.put("copy_fraction_real_test", copies(m, ImageClassifier.batch(m, test, b), train));
        out.put("copy_threshold_rms", COPY_RMS);
      }
    }
    double[] real = ClassifierTraining.measure(classifier, test);
    out.put("recognisable_fraction_real_test", real[1]);
    return out;
  }

  /**
   * DDPM's variational bound on −log p(x₀) of the unconditional model, in bits per pixel, for
   * {@code pictures} test pictures: the prior and decoder terms exactly, the T − 1 middle terms
   * estimated from {@code perPicture} steps t drawn per picture, one in each of as many equal
   * strata of 2 … T (an unbiased estimate of their sum). Returns {bits per pixel, and its prior,
   * middle and decoder parts}.
   */
  public static double[] bitsPerDim(GaussianModel model, ImageSet test, int pictures,
      int perPicture, long seed) {
    var s = model.config().schedule();
    int T = s.steps();
    int n = Math.min(pictures, test.size());
    int hw = model.height() * model.width();
    java.util.Random r = new java.util.Random(seed);
    double prior = 0;
    double middle = 0;
    double decoder = 0;
    int k = Math.max(1, Math.min(perPicture, T - 1));
    // pictures per pass, 64 rows: on a CPU a larger batch runs slower per row (256 rows took
    // 141 s for the demo's bound, 64 rows 38 s, the same bound)
    int batch = Math.max(1, 64 / (k + 1));
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      int rows = count * (k + 1);
      float[] xt = new float[rows * hw];
      float[] steps = new float[rows];
      float[] a = new float[rows];
      float[] sd = new float[rows];
      float[][] clean = new float[count][];
      for (int p = 0; p < count; p++) {
        clean[p] = test.signed(from + p);
        prior += dev.diffulab.core.gaussian.VariationalBound.prior(clean[p], s);
        for (int j = 0; j <= k; j++) {
          int row = p * (k + 1) + j;
          // j = 0: t = 1 for the decoder; then one t in each stratum of 2 … T
          int t = j == 0 ? 1 : 2 + (int) Math.floor(((j - 1) + r.nextDouble()) * (T - 1) / k);
          t = Math.min(T, t);
          steps[row] = t;
          a[row] = (float) Math.sqrt(s.alphaBar(t));
          sd[row] = (float) Math.sqrt(1 - s.alphaBar(t));
          for (int d = 0; d < hw; d++) {
            xt[row * hw + d] = a[row] * clean[p][d] + sd[row] * (float) r.nextGaussian();
          }
        }
      }
      long[] none = new long[rows];
      java.util.Arrays.fill(none, model.classes());
      float[] x0hat;
      try (NDManager m = model.manager().newSubManager()) {
        Shape img = new Shape(rows, 1, model.height(), model.width());
        NDArray x = m.create(xt, img);
        NDArray sa = m.create(a, new Shape(rows, 1, 1, 1));
        NDArray ss = m.create(sd, new Shape(rows, 1, 1, 1));
        NDArray out = model.predict(x, m.create(steps), m.create(none), false);
        x0hat = model.denoised(out, x, sa, ss).toFloatArray();
      }
      for (int p = 0; p < count; p++) {
        for (int j = 0; j <= k; j++) {
          int row = p * (k + 1) + j;
          float[] guess = java.util.Arrays.copyOfRange(x0hat, row * hw, (row + 1) * hw);
          if (j == 0) {
            decoder += dev.diffulab.core.gaussian.VariationalBound.decoder(clean[p], guess, s);
          } else {
            middle += (double) (T - 1) / k * dev.diffulab.core.gaussian.VariationalBound.step(
                clean[p], guess, (int) steps[row], s);
          }
        }
      }
    }
    double perDim = n * hw * Math.log(2);
    return new double[]{(prior + middle + decoder) / perDim, prior / perDim, middle / perDim,
        decoder / perDim};
  }

  /** The share of rows of {@code x} (N, H·W) whose nearest training picture is a copy. */
  static double copies(NDManager m, NDArray x, ImageSet train) {
    int n = (int) x.getShape().get(0);
    long hw = x.getShape().get(1);
    float[] nearest = new float[n];
    java.util.Arrays.fill(nearest, Float.POSITIVE_INFINITY);
    NDArray xx = x.square().sum(new int[]{1}, true); // (N, 1)
    int chunk = 4096;
    for (int from = 0; from < train.size(); from += chunk) {
      int[] idx = new int[Math.min(chunk, train.size() - from)];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = from + i;
      }
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray t = ImageClassifier.batch(m, train, idx); // (M, H·W)
        NDArray d = xx.add(t.square().sum(new int[]{1}).reshape(1, -1))
            .sub(Scalars.mul(x.matMul(t.transpose()), 2f)); // (N, M) squared distances
        float[] min = d.min(new int[]{1}).toFloatArray();
        for (int i = 0; i < n; i++) {
          nearest[i] = Math.min(nearest[i], min[i]);
        }
      }
    }
    int copies = 0;
    for (float d : nearest) {
      copies += Math.sqrt(Math.max(0, d) / hw) < COPY_RMS ? 1 : 0;
    }
    return (double) copies / n;
  }

  static NDArray stack(NDManager m, float[][] rows) {
    int hw = rows[0].length;
    float[] flat = new float[rows.length * hw];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * hw, hw);
    }
    return m.create(flat, new Shape(rows.length, hw));
  }

  static float[][] rows(NDArray a) {
    int n = (int) a.getShape().get(0);
    int d = (int) a.getShape().get(1);
    float[] flat = a.toType(DataType.FLOAT32, false).toFloatArray();
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

}
