package dev.diffulab.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Draws training batches, each padded only to its longest document. Each epoch shuffles every
 * document, cuts the order into pools of {@code pool} batches, sorts each pool by length, cuts it
 * into batches and shuffles the batches (the "bucketing" sampler of sequence-to-sequence
 * toolkits): every document is seen once an epoch. A pool of 1 is plain random batches; larger
 * pools compute less padding (TinyTales at batch 32: 79 % real tokens at 1, 93 % at 4, 99 % at
 * 50) but make a batch's documents alike, and in the measured quick tests that cost learning;
 * over packed rows (whose lengths say little about the stories in them) it did not
 * (docs/performance.md). {@link LengthGroups} saves the padding without making batches alike: a random
 * batch run as groups of alike rows. Deterministic for a seed; {@link #skip} replays a resumed
 * run's draws.
 *
 * <p>With replacement ({@code data.order: draws}) a pool is {@code pool} batches' worth of
 * documents drawn independently at random instead of the next stretch of a shuffled pass: what
 * the code before the length sampler did (at pool 1), kept so that order can be compared; over
 * seven seeds of the quick test it learned no differently (docs/performance.md).
 */
public final class LengthBatches {
  private final int[] lengths;
  private final int batchSize;
  private final int pool;
  private final boolean replacement;
  private final Random random;
  private final List<int[]> pending = new ArrayList<>();
  private int next;
  private long drawn;

  /**
   * @param lengths the length of every document (its real tokens)
   * @param pool batches per length-sorted pool (1: random batches)
   */
  public LengthBatches(int[] lengths, int batchSize, int pool, long seed) {
    this(lengths, batchSize, pool, false, seed);
  }

  /**
   * @param replacement draw every document of a pool at random with replacement instead of
   *     taking the next stretch of a shuffled pass
   */
  public LengthBatches(int[] lengths, int batchSize, int pool, boolean replacement, long seed) {
    if (lengths.length == 0) {
      throw new IllegalArgumentException("no documents to draw batches from");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive: " + batchSize);
    }
    this.lengths = lengths.clone();
    this.batchSize = batchSize;
    this.pool = Math.max(1, pool);
    this.replacement = replacement;
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
    if (replacement) {
      for (int i = 0; i < pool * batchSize; i++) {
        order.add(random.nextInt(lengths.length));
      }
    }
    // a corpus smaller than a batch repeats whole shuffled passes until one batch is full
    while (order.size() < batchSize) {
      List<Integer> pass = new ArrayList<>(lengths.length);
      for (int i = 0; i < lengths.length; i++) {
        pass.add(i);
      }
      Collections.shuffle(pass, random);
      order.addAll(pass);
    }
    int usable = order.size() / batchSize * batchSize;
    List<int[]> batches = new ArrayList<>(usable / batchSize);
    int poolSize = pool * batchSize;
    for (int from = 0; from < usable; from += poolSize) {
      List<Integer> slice = new ArrayList<>(order.subList(from, Math.min(usable,
          from + poolSize)));
      slice.sort(Comparator.comparingInt(i -> lengths[i]));
      for (int b = 0; b < slice.size(); b += batchSize) {
        // a batch's documents in random order: where a document sits in its batch says nothing
        // about its length (anything drawn per position in the batch stays independent of it)
        List<Integer> members = new ArrayList<>(slice.subList(b, b + batchSize));
        Collections.shuffle(members, random);
        batches.add(members.stream().mapToInt(Integer::intValue).toArray());
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
