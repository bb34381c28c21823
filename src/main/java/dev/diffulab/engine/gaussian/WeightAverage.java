package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import dev.diffulab.engine.model.Scalars;
import java.util.List;

/**
 * The exponential moving average of a model's weights, kept in a second model of the same shape
 * (DDPM samples from it: Ho et al. 2020 use a decay of 0.9999): after every step, average ←
 * d · average + (1 − d) · weights.
 */
final class WeightAverage {
  private WeightAverage() {
  }

  /** average ← weights. */
  static void copy(GaussianModel from, GaussianModel to) {
    blend(from, to, 0);
  }

  /** average ← d · average + (1 − d) · weights, outside any gradient recording. */
  static void update(GaussianModel from, GaussianModel to, double d) {
    blend(from, to, d);
  }

  private static void blend(GaussianModel from, GaussianModel to, double d) {
    List<Parameter> src = from.parameters();
    List<Parameter> dst = to.parameters();
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (var scope = new ai.djl.ndarray.NDScope()) {
      scope.suppressNotUsedWarning();
      for (int i = 0; i < src.size(); i++) {
        NDArray w = src.get(i).getArray();
        NDArray a = dst.get(i).getArray();
        if (d == 0) {
          Scalars.muli(a, 0f).addi(w);
        } else {
          Scalars.muli(a, (float) d).addi(Scalars.mul(w, (float) (1 - d)));
        }
      }
    } finally {
      JniUtils.setGradMode(recording);
    }
  }
}
