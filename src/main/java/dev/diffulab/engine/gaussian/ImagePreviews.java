package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.gaussian.ImagePreview;
import dev.diffulab.core.gaussian.ImageSamples;
import dev.diffulab.core.image.ImageSet;
import dev.diffulab.core.metrics.FrechetDistance;
import dev.diffulab.engine.image.ClassifierTraining;
import dev.diffulab.engine.image.ImageClassifier;
import java.util.OptionalDouble;

/**
 * The pictures a training run shows as it goes: {@code count} samples of the current model by
 * DDIM in a few steps (classes taken in turn when the model is conditional), and — with a
 * classifier of the run's pictures — the share of them it recognises (≥ 0.9 sure) and their
 * Fréchet distance in its features to {@link #REFERENCE} real test pictures, beside the distance
 * of as many other real test pictures (the floor the samples can at best reach at that count).
 */
public final class ImagePreviews implements AutoCloseable {
  /** Real test pictures the samples' features are compared with (fewer if the set is small). */
  public static final int REFERENCE = 1000;
  private final ImageClassifier judge;
  private final float[][] reference;
  private final double floor;
  private final int count;
  private final int shown;
  private final int steps;

  /**
   * @param judge the classifier (closed with this), or null for pictures it does not know
   * @param test real pictures of the run's kind (used only with a judge)
   * @param count samples judged; the first {@code shown} are returned as pictures
   */
  public ImagePreviews(ImageClassifier judge, ImageSet test, int count, int shown, int steps) {
    this.judge = judge;
    this.count = count;
    this.shown = Math.min(shown, count);
    this.steps = steps;
    int size = test == null ? 0 : Math.min(REFERENCE, test.size() - count);
    if (judge != null && size >= 100) {
      int[] perm = ClassifierTraining.permutation(test.size(), new java.util.Random(17));
      int[] ref = java.util.Arrays.copyOf(perm, size);
      int[] other = java.util.Arrays.copyOfRange(perm, size, size + count);
      try (NDManager m = judge.manager().newSubManager()) {
        reference = ImageEvaluation.rows(judge.features(ImageClassifier.batch(m, test, ref)));
        floor = FrechetDistance.between(ImageEvaluation.rows(judge.features(
            ImageClassifier.batch(m, test, other))), reference);
      }
    } else {
      reference = null;
      floor = Double.NaN;
    }
  }

  /**
   * Samples {@code model} (the run at {@code step}) with the guidance of {@code sampler} (its
   * weight and interval; the previews' own step count) and judges them.
   */
  public ImagePreview draw(GaussianModel model, int step,
      dev.diffulab.core.gaussian.GaussianConfig.Sampler sampler, String[] classNames,
      long seed) {
    int[] classes = null;
    if (model.classes() > 0) {
      classes = new int[count];
      for (int i = 0; i < count; i++) {
        classes[i] = i % model.classes();
      }
    }
    float[][] images = GaussianSampler.sample(model, new GaussianSampler.Request(count, steps,
        0.0, sampler.guidance(), classes, seed, false, sampler.guidanceFrom(),
        sampler.guidanceTo()), () -> false, null).images();
    OptionalDouble recognisable = OptionalDouble.empty();
    OptionalDouble frechet = OptionalDouble.empty();
    OptionalDouble frechetFloor = OptionalDouble.empty();
    if (reference != null) {
      try (NDManager m = judge.manager().newSubManager()) {
        NDArray x = ImageEvaluation.stack(m, images);
        float[][] probs = ImageEvaluation.rows(judge.probabilities(x));
        int sure = 0;
        for (float[] p : probs) {
          float best = 0;
          for (float v : p) {
            best = Math.max(best, v);
          }
          sure += best >= 0.9f ? 1 : 0;
        }
        recognisable = OptionalDouble.of((double) sure / count);
        frechet = OptionalDouble.of(FrechetDistance.between(ImageEvaluation.rows(
            judge.features(x)), reference));
        frechetFloor = OptionalDouble.of(floor);
      }
    }
    float[][] first = java.util.Arrays.copyOf(images, shown);
    int[] asked = classes == null ? null : java.util.Arrays.copyOf(classes, shown);
    return new ImagePreview(step, new ImageSamples(first, model.height(), model.width(), asked,
        classNames, new int[0], java.util.List.of(), java.util.List.of()), recognisable,
        frechet, frechetFloor);
  }

  @Override
  public void close() {
    if (judge != null) {
      judge.close();
    }
  }
}
