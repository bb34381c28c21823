package dev.diffulab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SafeConv2d} on the shapes whose plain libtorch convolution reads memory it never wrote
 * on one processor or another (input channels or filters not a whole number of 16-lane blocks):
 * its output and all three gradients come out finite and the same whatever freed memory held, in
 * training and in sampling, and it computes the convolution (checked against one summed out in
 * Java).
 */
class SafeConv2dTest {
  /** {input channels, filters, kernel, stride}. */
  private static final int[][] SHAPES = {
      {24, 16, 3, 1}, {40, 24, 3, 2}, {32, 1, 3, 1}, {16, 8, 3, 1}, {1, 8, 3, 1}, {24, 16, 1, 1},
      {8, 8, 3, 1}, {32, 32, 3, 1}};
  private static final int B = 4;
  private static final int SIDE = 8;

  private record Pass(float[] y, float[] dx, float[] dw, float[] db, float[] sampled) {
  }

  private static float[] random(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  private static Pass pass(SafeConv2d conv, NDManager root, float[] x, float[] r, int channels,
      byte freed) {
    try (NDManager m = root.newSubManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      NDArray xa = m.create(x, new Shape(B, channels, SIDE, SIDE));
      xa.setRequiresGradient(true);
      NDArray w = conv.getParameters().get("weight").getArray();
      NDArray bias = conv.getParameters().get("bias").getArray();
      JniUtils.zeroGrad((PtNDArray) w);
      JniUtils.zeroGrad((PtNDArray) bias);
      float[] y;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        FreedMemory.fill(freed);
        NDArray out = conv.forward(ps, new NDList(xa), true).head();
        y = out.toFloatArray();
        NDArray loss = out.mul(m.create(r, out.getShape())).sum();
        FreedMemory.fill(freed);
        gc.backward(loss);
      }
      FreedMemory.fill(freed);
      float[] sampled = conv.forward(ps, new NDList(xa.stopGradient()), false).head()
          .toFloatArray();
      return new Pass(y, xa.getGradient().toFloatArray(), w.getGradient().toFloatArray(),
          bias.getGradient().toFloatArray(), sampled);
    }
  }

  private static void same(float[] expected, float[] actual, String what) {
    for (int i = 0; i < actual.length; i++) {
      if (!Float.isFinite(actual[i])) {
        throw new AssertionError(what + ": non-finite at " + i + " of " + actual.length);
      }
    }
    assertArrayEquals(expected, actual, 0f, what + " depends on what freed memory held");
  }

  /** The convolution summed out in Java: (B, C, H, W) ⊛ (F, C, k, k) + (F), zero padding. */
  private static float[] reference(float[] x, float[] w, float[] bias, int channels,
      int filters, int k, int stride) {
    int out = (SIDE + stride - 1) / stride;
    int pad = k / 2;
    float[] y = new float[B * filters * out * out];
    for (int n = 0; n < B; n++) {
      for (int f = 0; f < filters; f++) {
        for (int i = 0; i < out; i++) {
          for (int j = 0; j < out; j++) {
            double sum = bias[f];
            for (int c = 0; c < channels; c++) {
              for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++) {
                  int row = i * stride + u - pad;
                  int col = j * stride + v - pad;
                  if (row >= 0 && row < SIDE && col >= 0 && col < SIDE) {
                    sum += (double) x[((n * channels + c) * SIDE + row) * SIDE + col]
                        * w[((f * channels + c) * k + u) * k + v];
                  }
                }
              }
            }
            y[((n * filters + f) * out + i) * out + j] = (float) sum;
          }
        }
      }
    }
    return y;
  }

  @Test
  void freedMemoryNeverReachesTheOutputOrTheGradients() {
    Random r = new Random(7);
    try (NDManager root = NDManager.newBaseManager()) {
      for (int[] s : SHAPES) {
        int channels = s[0];
        int filters = s[1];
        String name = channels + " channels → " + filters + " filters, " + s[2] + "×" + s[2]
            + ", stride " + s[3];
        SafeConv2d conv = new SafeConv2d(Conv2d.builder().setKernelShape(new Shape(s[2], s[2]))
            .optPadding(new Shape(s[2] / 2, s[2] / 2)).optStride(new Shape(s[3], s[3]))
            .setFilters(filters));
        conv.initialize(root, DataType.FLOAT32, new Shape(B, channels, SIDE, SIDE));
        float[] x = random(r, B * channels * SIDE * SIDE);
        int outSide = (SIDE + s[3] - 1) / s[3];
        float[] weights = random(r, B * filters * outSide * outSide);
        Pass zeros = pass(conv, root, x, weights, channels, (byte) 0);
        for (int run = 0; run < 3; run++) {
          Pass nan = pass(conv, root, x, weights, channels, (byte) 0xFF);
          same(zeros.y(), nan.y(), name + ", run " + run + ": the output");
          same(zeros.dx(), nan.dx(), name + ", run " + run + ": the input's gradient");
          same(zeros.dw(), nan.dw(), name + ", run " + run + ": the weights' gradient");
          same(zeros.db(), nan.db(), name + ", run " + run + ": the bias's gradient");
          same(zeros.sampled(), nan.sampled(), name + ", run " + run + ": the sampling output");
        }
        float[] expected = reference(x, conv.getParameters().get("weight").getArray()
            .toFloatArray(), conv.getParameters().get("bias").getArray().toFloatArray(),
            channels, filters, s[2], s[3]);
        assertArrayEquals(expected, zeros.y(), 1e-4f, name + ": the convolution's function");
      }
    }
  }
}
