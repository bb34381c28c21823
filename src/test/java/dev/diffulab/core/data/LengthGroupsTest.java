package dev.diffulab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A step's rows cut into alike-length groups: every row once, and the cheapest cut. */
class LengthGroupsTest {

  private static void assertEveryRowOnce(int n, int[][] groups) {
    int[] seen = new int[n];
    for (int[] g : groups) {
      assertTrue(g.length > 0, "no empty group");
      for (int r : g) {
        seen[r]++;
      }
    }
    int[] once = new int[n];
    Arrays.fill(once, 1);
    assertArrayEquals(once, seen);
  }

  /** The cheapest cost over every way to cut the sorted lengths into at most k runs. */
  private static long bruteForce(int[] sorted, int k, int cost) {
    int n = sorted.length;
    long best = Long.MAX_VALUE;
    for (int mask = 0; mask < 1 << (n - 1); mask++) {
      if (Integer.bitCount(mask) + 1 > k) {
        continue;
      }
      long total = 0;
      int start = 0;
      for (int i = 0; i < n; i++) {
        boolean end = i == n - 1 || (mask & (1 << i)) != 0;
        if (end) {
          total += (long) (i + 1 - start) * sorted[i] + cost;
          start = i + 1;
        }
      }
      best = Math.min(best, total);
    }
    return best;
  }

  @Test
  void theCutIsTheCheapestOfAllCutsOfTheSortedRows() {
    Random r = new Random(5);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(10);
      int[] lengths = new int[n];
      for (int i = 0; i < n; i++) {
        lengths[i] = 1 + r.nextInt(100);
      }
      int k = 1 + r.nextInt(4);
      int cost = r.nextInt(150);
      int[][] groups = LengthGroups.of(lengths, k, cost);
      assertEveryRowOnce(n, groups);
      assertTrue(groups.length <= k, "at most " + k + " groups");
      int[] sorted = lengths.clone();
      Arrays.sort(sorted);
      assertEquals(bruteForce(sorted, k, cost),
          LengthGroups.positions(lengths, groups) + (long) groups.length * cost,
          "lengths " + Arrays.toString(lengths) + ", k " + k + ", cost " + cost);
    }
  }

  @Test
  void groupsHoldAlikeLengthsShortestFirst() {
    int[] lengths = {95, 40, 92, 41, 96, 44, 90, 42};
    int[][] groups = LengthGroups.of(lengths, 4, 96);
    assertEquals(2, groups.length, "long rows apart from short ones");
    for (int r : groups[0]) {
      assertTrue(lengths[r] < 50, "short rows first: " + lengths[r]);
    }
    for (int r : groups[1]) {
      assertTrue(lengths[r] >= 90, "then the long ones: " + lengths[r]);
    }
    // 4 × 44 + 4 × 96 computed positions instead of 8 × 96
    assertEquals(4 * 44 + 4 * 96, LengthGroups.positions(lengths, groups));
  }

  @Test
  void oneGroupWhenSplittingSavesLessThanItCostsOrIsNotAllowed() {
    int[] alike = {90, 91, 92, 93, 94, 95};
    assertEquals(1, LengthGroups.of(alike, 4, 96).length);
    int[] mixed = {10, 96, 10, 96};
    assertEquals(1, LengthGroups.of(mixed, 1, 0).length);
    assertEquals(2, LengthGroups.of(mixed, 4, 0).length);
    assertEquals(0, LengthGroups.of(new int[0], 4, 96).length);
  }
}
