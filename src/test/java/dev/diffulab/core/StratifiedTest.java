package dev.diffulab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StratifiedTest {
  @Test
  void oneDrawInEverySliceInRandomOrder() {
    Random r = new Random(11);
    int n = 8;
    int rounds = 4000;
    double[] meanBySlot = new double[n];
    for (int round = 0; round < rounds; round++) {
      double[] u = Stratified.draws(n, r);
      double[] sorted = u.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < n; i++) {
        assertTrue(sorted[i] >= (double) i / n && sorted[i] < (i + 1.0) / n,
            sorted[i] + " not in slice " + i);
        meanBySlot[i] += u[i] / rounds;
      }
    }
    // no slot is tied to a slice: every slot's mean is the middle of [0, 1)
    for (int i = 0; i < n; i++) {
      assertEquals(0.5, meanBySlot[i], 0.03, "slot " + i);
    }
  }

  @Test
  void aSeedRepeatsTheDraws() {
    double[] a = Stratified.draws(5, new Random(4));
    double[] b = Stratified.draws(5, new Random(4));
    assertTrue(Arrays.equals(a, b));
    assertEquals(1, Stratified.draws(1, new Random(4)).length);
    assertEquals(0, Stratified.draws(0, new Random(4)).length);
  }
}
