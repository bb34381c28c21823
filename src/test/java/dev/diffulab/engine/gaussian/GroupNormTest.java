package dev.diffulab.engine.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Group normalisation against its definition, computed by hand in doubles: each picture's
 * channels split into groups, each group centred and scaled by its own mean and variance over
 * channels and positions, then a per-channel gain and shift. Its gradient is checked against
 * finite differences of the same definition.
 */
class GroupNormTest {
  private static final int B = 3;
  private static final int C = 16;
  private static final int H = 5;
  private static final int W = 7;

  @Test
  void normalisesEachGroupOverItsChannelsAndPositionsThenScalesEachChannel() {
    Random r = new Random(5);
    float[] x = random(r, B * C * H * W, 3.0, 1.5);
    float[] gain = random(r, C, 1.0, 0.5);
    float[] shift = random(r, C, 0.0, 0.5);
    float[] weights = random(r, B * C * H * W, 0.0, 1.0);
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm norm = new GroupNorm(C);
      norm.initialize(m, DataType.FLOAT32, new Shape(B, C, H, W));
      norm.getParameters().get("gamma").getArray().set(gain);
      norm.getParameters().get("beta").getArray().set(shift);
      NDArray input = m.create(x, new Shape(B, C, H, W));
      input.setRequiresGradient(true);
      float[] y;
      float[] dx;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray out = norm.forward(new ParameterStore(m, false), new NDList(input), true).head();
        y = out.toFloatArray();
        gc.backward(out.mul(m.create(weights, out.getShape())).sum());
        dx = input.getGradient().toFloatArray();
      }
      double[] want = reference(toDouble(x), gain, shift);
      for (int i = 0; i < y.length; i++) {
        assertEquals(want[i], y[i], 1e-4, "output " + i);
      }
      // d/dx of sum(w · y) by central differences of the definition, at a few positions
      for (int i : new int[]{0, 17, 211, B * C * H * W - 1, 1000}) {
        double[] plus = toDouble(x);
        double[] minus = toDouble(x);
        double h = 1e-4;
        plus[i] += h;
        minus[i] -= h;
        double numeric = (dot(reference(plus, gain, shift), weights)
            - dot(reference(minus, gain, shift), weights)) / (2 * h);
        assertEquals(numeric, dx[i], 2e-3, "gradient " + i);
      }
    }
  }

  /** The definition: 8 groups of 2 channels (as the block chooses for 16), ε = 1e-5. */
  private static double[] reference(double[] x, float[] gain, float[] shift) {
    int groups = 8;
    int per = C / groups * H * W;
    double[] y = new double[x.length];
    for (int b = 0; b < B; b++) {
      for (int g = 0; g < groups; g++) {
        int start = (b * C + g * (C / groups)) * H * W;
        double mean = 0;
        for (int k = 0; k < per; k++) {
          mean += x[start + k];
        }
        mean /= per;
        double var = 0;
        for (int k = 0; k < per; k++) {
          var += (x[start + k] - mean) * (x[start + k] - mean);
        }
        var /= per;
        for (int k = 0; k < per; k++) {
          int c = g * (C / groups) + k / (H * W);
          y[start + k] = (x[start + k] - mean) / Math.sqrt(var + 1e-5) * gain[c] + shift[c];
        }
      }
    }
    return y;
  }

  private static double dot(double[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  private static float[] random(Random r, int n, double mean, double sd) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (mean + sd * r.nextGaussian());
    }
    return a;
  }
}
