package dev.diffulab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {
  private static int[] lengths(int n, long seed) {
    Random r = new Random(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = 10 + r.nextInt(60);
    }
    return out;
  }

  @Test
  void everyDocumentOnceAnEpochWhateverThePool() {
    int[] lengths = lengths(640, 1);
    for (int pool : new int[]{1, 4, 50}) {
      LengthBatches batches = new LengthBatches(lengths, 32, pool, 3);
      int[] seen = new int[lengths.length];
      for (int b = 0; b < 20; b++) {
        for (int i : batches.next()) {
          seen[i]++;
        }
      }
      for (int s : seen) {
        assertEquals(1, s, "pool " + pool);
      }
    }
  }

  /**
   * Whatever is drawn per slot of a batch (a stratified mask ratio, a stratified σ) must not
   * follow length: a document's place in its batch says nothing about how long it is, even though
   * pools are sorted by length to cut the padding.
   */
  @Test
  void aDocumentsPlaceInItsBatchSaysNothingAboutItsLength() {
    int[] lengths = lengths(3200, 4);
    for (int pool : new int[]{1, 4, 50}) {
      LengthBatches batches = new LengthBatches(lengths, 32, pool, 7);
      double[] first = new double[2];
      double[] last = new double[2];
      for (int b = 0; b < 400; b++) {
        int[] ids = batches.next();
        first[0] += lengths[ids[0]];
        first[1]++;
        last[0] += lengths[ids[ids.length - 1]];
        last[1]++;
      }
      // lengths are uniform on 10..69 (sd 17): 400 draws put each mean within ±3 of 39.5
      double meanFirst = first[0] / first[1];
      double meanLast = last[0] / last[1];
      assertEquals(39.5, meanFirst, 3.5, "pool " + pool + ": first slot");
      assertEquals(39.5, meanLast, 3.5, "pool " + pool + ": last slot");
    }
  }

  @Test
  void largerPoolsComputeLessPadding() {
    int[] lengths = lengths(3200, 2);
    double previous = 0;
    for (int pool : new int[]{1, 4, 50}) {
      LengthBatches batches = new LengthBatches(lengths, 32, pool, 5);
      long real = 0;
      long computed = 0;
      for (int b = 0; b < 100; b++) {
        int longest = 0;
        for (int i : batches.next()) {
          real += lengths[i];
          longest = Math.max(longest, lengths[i]);
        }
        computed += 32L * longest;
      }
      double fraction = (double) real / computed;
      assertTrue(fraction > previous, "pool " + pool + ": " + fraction);
      previous = fraction;
    }
    assertTrue(previous > 0.95, "sorted pools of 50 batches leave little padding: " + previous);
  }

  @Test
  void skippingReplaysTheSameOrderAndACorpusSmallerThanABatchStillFillsOne() {
    int[] lengths = lengths(300, 3);
    LengthBatches a = new LengthBatches(lengths, 16, 4, 9);
    List<int[]> drawn = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      drawn.add(a.next());
    }
    LengthBatches b = new LengthBatches(lengths, 16, 4, 9);
    b.skip(17);
    for (int i = 17; i < 30; i++) {
      assertArrayEquals(drawn.get(i), b.next());
    }
    assertEquals(8, new LengthBatches(new int[]{5, 6, 7}, 8, 1, 1).next().length);
    int[][] batch = LengthBatches.batch(List.of(new int[]{1, 2}, new int[]{3, 4, 5}),
        new int[]{0, 1}, 0);
    assertArrayEquals(new int[]{1, 2, 0}, batch[0]);
    assertArrayEquals(new int[]{3, 4, 5}, batch[1]);
  }

  /**
   * With replacement every slot is an independent uniform draw: over one epoch's worth of
   * batches about e⁻¹ of the documents go unseen and about as many come twice or more, and a
   * resumed run still replays the same draws.
   */
  @Test
  void drawsWithReplacementAreIndependentAndReplayable() {
    int[] lengths = lengths(640, 6);
    for (int pool : new int[]{1, 4}) {
      LengthBatches batches = new LengthBatches(lengths, 32, pool, true, 11);
      int[] seen = new int[lengths.length];
      List<int[]> drawn = new ArrayList<>();
      for (int b = 0; b < 20; b++) {
        int[] ids = batches.next();
        assertEquals(32, ids.length);
        drawn.add(ids);
        for (int i : ids) {
          seen[i]++;
        }
      }
      int unseen = 0;
      int repeated = 0;
      for (int s : seen) {
        unseen += s == 0 ? 1 : 0;
        repeated += s >= 2 ? 1 : 0;
      }
      // Poisson(1): 235 of 640 expected unseen, 169 twice or more (sd about 12 each)
      assertTrue(unseen > 190 && unseen < 280, "pool " + pool + ": unseen " + unseen);
      assertTrue(repeated > 125 && repeated < 215, "pool " + pool + ": repeated " + repeated);
      LengthBatches resumed = new LengthBatches(lengths, 32, pool, true, 11);
      resumed.skip(13);
      for (int b = 13; b < 20; b++) {
        assertArrayEquals(drawn.get(b), resumed.next());
      }
    }
  }
}
