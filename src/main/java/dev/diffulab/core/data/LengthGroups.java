package dev.diffulab.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits one step's batch into groups of alike-length rows, each run forward and backward padded
 * only to its own longest row, their gradients summed into one update. The step's rows stay a
 * random draw — what the optimiser sees is the gradient of the whole batch — while almost no
 * padding is computed: unlike sorting documents into alike-length batches ({@link LengthBatches}
 * with a pool above 1), which computes as little padding but makes every update about documents
 * of one length.
 *
 * <p>How: the rows are sorted by length and cut into at most {@code maxGroups} runs so that the
 * padded positions plus {@code groupCost} per group are fewest (an exact dynamic programme over
 * the sorted lengths): a further group is made only when it saves more padding than it costs.
 */
public final class LengthGroups {
  private LengthGroups() {
  }

  /**
   * @param lengths the real length of every row of the batch
   * @param maxGroups at most this many groups (1: the whole batch as one group)
   * @param groupCost what one more group costs, in padded positions
   * @return the groups, each the row indices of one group in ascending length, shortest group
   *     first; every row in exactly one group
   */
  public static int[][] of(int[] lengths, int maxGroups, int groupCost) {
    int n = lengths.length;
    if (n == 0) {
      return new int[0][];
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> lengths[i]).thenComparing(i -> i));
    int k = Math.max(1, Math.min(maxGroups, n));
    // best[g][j]: least cost of the first j sorted rows in g groups; a group ends at its longest
    long[][] best = new long[k + 1][n + 1];
    int[][] cut = new int[k + 1][n + 1];
    for (long[] row : best) {
      Arrays.fill(row, Long.MAX_VALUE);
    }
    best[0][0] = 0;
    for (int g = 1; g <= k; g++) {
      for (int j = 1; j <= n; j++) {
        long longest = lengths[order[j - 1]];
        for (int i = g - 1; i < j; i++) {
          if (best[g - 1][i] == Long.MAX_VALUE) {
            continue;
          }
          long cost = best[g - 1][i] + (j - i) * longest + groupCost;
          if (cost < best[g][j]) {
            best[g][j] = cost;
            cut[g][j] = i;
          }
        }
      }
    }
    int groups = 1;
    for (int g = 2; g <= k; g++) {
      if (best[g][n] < best[groups][n]) {
        groups = g;
      }
    }
    List<int[]> out = new ArrayList<>();
    int j = n;
    for (int g = groups; g >= 1; g--) {
      int i = cut[g][j];
      int[] members = new int[j - i];
      for (int r = i; r < j; r++) {
        members[r - i] = order[r];
      }
      out.add(0, members);
      j = i;
    }
    return out.toArray(new int[0][]);
  }

  /** Positions computed when each group is padded to its longest row. */
  public static long positions(int[] lengths, int[][] groups) {
    long total = 0;
    for (int[] g : groups) {
      int longest = 0;
      for (int r : g) {
        longest = Math.max(longest, lengths[r]);
      }
      total += (long) g.length * longest;
    }
    return total;
  }
}
