package dev.diffulab.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The sporadic NaN gradients, made to happen every time: between the forward and the backward
 * pass the garbage collector runs and fresh direct buffers full of NaN take the place of any that
 * were freed. DJL's number-taking arithmetic loses its gradient that way; {@link Scalars} keeps it.
 */
class ScalarsTest {
  private static final int TRIALS = 10;

  /** An operation and the gradient of {@code sum(op(x))} at x = (1, 2, 3). */
  private record Case(String name, UnaryOperator<NDArray> op, float[] expected) {
  }

  /**
   * How many of the trials ended with a wrong gradient, per case. Each trial builds every case's
   * graph on its own x, lets the collector run once, then takes one backward pass through the sum
   * of them all: the cases share the collections (each a full GC of the test JVM's heap, the
   * costly part) without sharing a gradient.
   */
  private static int[] wrongGradients(Case... cases) throws Exception {
    int[] wrong = new int[cases.length];
    try (NDManager root = NDManager.newBaseManager()) {
      for (int t = 0; t < TRIALS; t++) {
        try (NDManager m = root.newSubManager()) {
          NDArray[] xs = new NDArray[cases.length];
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            for (int c = 0; c < cases.length; c++) {
              xs[c] = m.create(new float[]{1f, 2f, 3f});
              xs[c].setRequiresGradient(true);
              NDArray y = cases[c].op().apply(xs[c]).sum();
              total = total == null ? y : total.add(y);
            }
            List<ByteBuffer> poison = collectAndPoison();
            gc.backward(total);
            for (int c = 0; c < cases.length; c++) {
              if (!java.util.Arrays.equals(xs[c].getGradient().toFloatArray(),
                  cases[c].expected())) {
                wrong[c]++;
              }
            }
            poison.clear();
          }
        }
      }
    }
    return wrong;
  }

  private static List<ByteBuffer> collectAndPoison() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(5);
    }
    List<ByteBuffer> poison = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
      b.putDouble(0, Double.NaN);
      poison.add(b);
    }
    return poison;
  }

  @Test
  void djlsOwnNumberArithmeticLosesItsGradientWhenTheCollectorRuns() throws Exception {
    // The control: without it this test could not tell a fixed engine from a lucky run.
    int wrong = wrongGradients(new Case("x.mul(2.5f)", x -> x.mul(2.5f),
        new float[]{2.5f, 2.5f, 2.5f}))[0];
    assertTrue(wrong > 0, "DJL's x.mul(2.5f) kept its gradient in all " + TRIALS
        + " trials: the hazard Scalars guards against is gone, or this test no longer shows it");
  }

  @Test
  void scalarsKeepTheirGradientWhateverTheCollectorDoes() throws Exception {
    Case[] cases = {
        new Case("mul", x -> Scalars.mul(x, 2.5f), new float[]{2.5f, 2.5f, 2.5f}),
        new Case("div", x -> Scalars.div(x, 0.4f), new float[]{2.5f, 2.5f, 2.5f}),
        new Case("pow", x -> Scalars.pow(x, 2f), new float[]{2f, 4f, 6f}),
        new Case("maximum", x -> Scalars.maximum(x, 1.5f), new float[]{0f, 1f, 1f}),
        new Case("minimum", x -> Scalars.minimum(x, 2.5f), new float[]{1f, 1f, 0f}),
        new Case("rdiv", x -> Scalars.rdiv(1f, x), new float[]{-1f, -0.25f, -1f / 9})};
    int[] wrong = wrongGradients(cases);
    for (int c = 0; c < cases.length; c++) {
      assertEquals(0, wrong[c], cases[c].name() + " lost its gradient in " + wrong[c] + " of "
          + TRIALS + " trials");
    }
  }

  @Test
  void valuesAreThoseOfDjlsPlainCalls() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[]{0.1f, -2f, 3.3f, 7f});
      assertArrayEquals(x.mul(1 / 3.0).toFloatArray(), Scalars.mul(x, 1 / 3.0).toFloatArray());
      assertArrayEquals(x.div(Math.sqrt(7)).toFloatArray(),
          Scalars.div(x, Math.sqrt(7)).toFloatArray());
      assertArrayEquals(x.add(1e-8f).toFloatArray(), Scalars.add(x, 1e-8f).toFloatArray());
      assertArrayEquals(x.sub(0.5f).toFloatArray(), Scalars.sub(x, 0.5f).toFloatArray());
      assertArrayEquals(x.pow(-1f).toFloatArray(), Scalars.pow(x, -1f).toFloatArray());
      assertArrayEquals(x.neg().add(1f).toFloatArray(), Scalars.rsub(1f, x).toFloatArray());
      NDArray y = x.duplicate();
      assertArrayEquals(x.mul(0.9f).toFloatArray(), Scalars.muli(y, 0.9f).toFloatArray());
      assertArrayEquals(x.mul(0.9f).toFloatArray(), y.toFloatArray(), "in place");
    }
  }
}
