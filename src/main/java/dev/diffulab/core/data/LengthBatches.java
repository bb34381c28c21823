package dev.diffulab.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Draws training batches of documents of similar length, so a batch trimmed to its longest
 * document computes almost no padding. Each epoch shuffles every document, cuts the order into
 * pools of {@value #POOL_BATCHES} batches, sorts each pool by length, cuts it into batches and
 * shuffles the batches (the "bucketing" sampler of sequence-to-sequence toolkits): every document
 * is seen once an epoch, and a batch is still a random draw of the pool's lengths. Deterministic
 * for a seed; {@link #skip} replays the draws of a resumed run.
 */
public final class LengthBatches {
  /** Batches per sorted pool: large enough for tight lengths, small enough to stay random. */
  static final int POOL_BATCHES = 50;

  private final int[] lengths;
  private final int batchSize;
  private final Random random;
  private final List<int[]> pending = new ArrayList<>();
  private int next;
  private long drawn;

  /** @param lengths the length of every document (its real tokens) */
  public LengthBatches(int[] lengths, int batchSize, long seed) {
    if (lengths.length == 0) {
      throw new IllegalArgumentException("no documents to draw batches from");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive: " + batchSize);
    }
    this.lengths = lengths.clone();
    this.batchSize = batchSize;
    this.random = new Random(seed);
  }

  /** The document indices of the next batch ({@code batchSize} of them). */
  public int[] next() {
    if (next == pending.size()) {
      refill();
    }
    drawn++;
    return pending.get(next++).clone();
  }

  /** How many batches have been drawn. */
  public long drawn() {
    return drawn;
  }

  /** Draws and drops {@code n} batches: a resumed run continues the same order. */
  public void skip(long n) {
    for (long i = 0; i < n; i++) {
      next();
    }
  }

  private void refill() {
    List<Integer> order = new ArrayList<>();
    // a corpus smaller than a batch repeats whole shuffled passes until one batch is full
    do {
      List<Integer> pass = new ArrayList<>(lengths.length);
      for (int i = 0; i < lengths.length; i++) {
        pass.add(i);
      }
      Collections.shuffle(pass, random);
      order.addAll(pass);
    } while (order.size() < batchSize);
    int usable = order.size() / batchSize * batchSize;
    List<int[]> batches = new ArrayList<>(usable / batchSize);
    int pool = POOL_BATCHES * batchSize;
    for (int from = 0; from < usable; from += pool) {
      List<Integer> slice = new ArrayList<>(order.subList(from, Math.min(usable, from + pool)));
      slice.sort(Comparator.comparingInt(i -> lengths[i]));
      for (int b = 0; b < slice.size(); b += batchSize) {
        batches.add(slice.subList(b, b + batchSize).stream().mapToInt(Integer::intValue)
            .toArray());
      }
    }
    Collections.shuffle(batches, random);
    pending.clear();
    pending.addAll(batches);
    next = 0;
  }

  /**
   * The documents of {@code indices} as a (B × L) batch padded with {@code padId} to the longest
   * of them, L = that length (at least 1).
   */
  public static int[][] batch(List<int[]> docs, int[] indices, int padId) {
    int longest = 1;
    for (int i : indices) {
      longest = Math.max(longest, docs.get(i).length);
    }
    int[][] out = new int[indices.length][longest];
    for (int b = 0; b < indices.length; b++) {
      int[] d = docs.get(indices[b]);
      Arrays.fill(out[b], padId);
      System.arraycopy(d, 0, out[b], 0, d.length);
    }
    return out;
  }
}
