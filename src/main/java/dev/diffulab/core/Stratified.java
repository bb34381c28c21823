package dev.diffulab.core;

import java.util.Random;

/**
 * Stratified draws on [0, 1): one draw in each of n equal slices, in random order. A batch of n
 * documents then covers the whole range of masking ratios (or noise levels) every step — lower
 * variance than n independent draws — while no document's place in its batch says which slice
 * it got. (In slice order, the first document of every batch would always get the lowest level;
 * with batches that list their documents by length, that ties the level to the length.)
 */
public final class Stratified {
  private Stratified() {
  }

  /**
   * @return n values, value i of the sorted result in [i/n, (i + 1)/n), shuffled
   */
  public static double[] draws(int n, Random r) {
    double[] u = new double[n];
    double offset = r.nextDouble();
    for (int i = 0; i < n; i++) {
      u[i] = (i + offset) / n;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      double tmp = u[i];
      u[i] = u[j];
      u[j] = tmp;
    }
    return u;
  }
}
