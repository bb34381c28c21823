package dev.diffulab.engine.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.diffulab.engine.model.FreedMemory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The U-Net's gradients do not depend on what freed memory holds. Before the forward and before
 * the backward pass, blocks of every size from 4 bytes to 128 KiB are allocated, filled with one
 * byte and freed, so that the passes' fresh buffers start out holding it: NaN bytes in one run,
 * zero bytes in another. A kernel that reads memory it never wrote shows as non-finite or
 * differing gradients (libtorch 2.7.1's CPU convolutions did where channels or filters are not
 * whole 16-lane blocks: see {@link dev.diffulab.engine.model.SafeConv2d}). This small U-Net has
 * such layers: 8 and 24 channels, one filter at the output.
 */
class UninitialisedMemoryTest {
  private static float[] gradients(GaussianModel model, float[] x, float[] t, long[] labels,
      byte freed) {
    int b = t.length;
    try (NDManager m = model.manager().newSubManager()) {
      for (var p : model.parameters()) {
        JniUtils.zeroGrad((PtNDArray) p.getArray());
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray xa = m.create(x, new Shape(b, 1, model.height(), model.width()));
        FreedMemory.fill(freed);
        NDArray out = model.predict(xa, m.create(t), m.create(labels), true);
        NDArray loss = out.sub(xa).square().mean();
        FreedMemory.fill(freed);
        gc.backward(loss);
      }
      int size = 0;
      for (var p : model.parameters()) {
        size += (int) p.getArray().size();
      }
      float[] all = new float[size];
      int at = 0;
      for (var p : model.parameters()) {
        float[] g = p.getArray().getGradient().toFloatArray();
        System.arraycopy(g, 0, all, at, g.length);
        at += g.length;
      }
      return all;
    }
  }

  @Test
  void theUnetsGradientsDoNotDependOnWhatFreedMemoryHeld() {
    int b = 8;
    Random r = new Random(4);
    float[] x = new float[b * 144];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] t = new float[b];
    long[] labels = new long[b];
    for (int i = 0; i < b; i++) {
      t[i] = 1 + r.nextInt(50);
      labels[i] = i % 4; // 3 is "no class"
    }
    try (NDManager root = NDManager.newBaseManager();
        GaussianModel model = new GaussianModel(GaussianDiffusionTest.tiny(1, "epsilon"), 12, 12,
            3, root)) {
      float[] zeros = gradients(model, x, t, labels, (byte) 0);
      for (int run = 0; run < 4; run++) {
        float[] nan = gradients(model, x, t, labels, (byte) 0xFF);
        int nonFinite = 0;
        int differ = 0;
        for (int i = 0; i < nan.length; i++) {
          nonFinite += Float.isFinite(nan[i]) ? 0 : 1;
          differ += Float.floatToIntBits(nan[i]) != Float.floatToIntBits(zeros[i]) ? 1 : 0;
        }
        assertEquals(0, nonFinite, "run " + run + ": non-finite gradients after freed memory"
            + " held NaN");
        assertEquals(0, differ, "run " + run + ": gradients that depend on what freed memory"
            + " held");
      }
      boolean any = false;
      for (float v : zeros) {
        any |= v != 0;
      }
      assertTrue(any, "the pass computed gradients at all");
    }
  }
}
