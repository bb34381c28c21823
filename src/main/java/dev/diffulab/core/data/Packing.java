package dev.diffulab.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Packs whole documents into rows of at most {@code seqLen} tokens, so that a batch computes
 * (almost) no padding while every document stays its own example: the row records which document
 * each position belongs to ({@link #segments}: 1, 2, … within the row), and the model attends
 * only within a document, numbers positions from each document's start and draws each document's
 * own noise level. A document is never split; one longer than {@code seqLen} is truncated, as
 * without packing.
 *
 * <p>How: documents in a seeded random order are taken {@link #POOL} at a time; within a pool they
 * go, longest first, into the first row with room (first fit decreasing), so short documents fill
 * the gaps long ones leave; the rows are then shuffled. Rows of short texts fill to 90 % and more;
 * TinyTales stories (about 51 tokens in rows of 96) rarely fit two to a row, which bounds their
 * fill near 83 %; drawing batches of alike-length rows ({@link LengthBatches} with a pool of 4)
 * and trimming them raises the real share to 93 % while each batch still mixes long stories with
 * pairs of short ones (docs/performance.md).
 *
 * @param rows the packed token rows, unpadded (each at most {@code seqLen} long)
 * @param segments for each row, the 1-based document of every position
 */
public record Packing(List<int[]> rows, List<int[]> segments) {
  /** Documents packed together at a time. */
  public static final int POOL = 1024;

  public static Packing pack(List<int[]> docs, int seqLen, long seed) {
    if (seqLen < 1) {
      throw new IllegalArgumentException("seqLen must be positive: " + seqLen);
    }
    List<Integer> order = new ArrayList<>(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      if (docs.get(i).length > 0) {
        order.add(i);
      }
    }
    Random random = new Random(seed ^ 0x7A3BL);
    Collections.shuffle(order, random);
    List<Open> closed = new ArrayList<>();
    for (int from = 0; from < order.size(); from += POOL) {
      // first fit decreasing within the pool: long documents first, short ones fill the gaps
      List<Integer> pool = new ArrayList<>(order.subList(from, Math.min(order.size(),
          from + POOL)));
      pool.sort((a, b) -> Integer.compare(docs.get(b).length, docs.get(a).length));
      List<Open> open = new ArrayList<>();
      for (int i : pool) {
        int[] d = docs.get(i);
        int len = Math.min(seqLen, d.length);
        Open fit = null;
        for (Open o : open) {
          if (o.used + len <= seqLen) {
            fit = o;
            break;
          }
        }
        if (fit == null) {
          fit = new Open(seqLen);
          open.add(fit);
        }
        fit.add(d, len);
      }
      closed.addAll(open);
    }
    Collections.shuffle(closed, random);
    List<int[]> rows = new ArrayList<>(closed.size());
    List<int[]> segments = new ArrayList<>(closed.size());
    for (Open o : closed) {
      o.close(rows, segments);
    }
    return new Packing(List.copyOf(rows), List.copyOf(segments));
  }

  /** Real tokens over row capacity: how full the rows are. */
  public double fill(int seqLen) {
    long used = 0;
    for (int[] r : rows) {
      used += r.length;
    }
    return rows.isEmpty() ? 0 : (double) used / ((long) rows.size() * seqLen);
  }

  private static final class Open {
    private final int[] tokens;
    private final int[] segment;
    private int used;
    private int documents;

    Open(int seqLen) {
      tokens = new int[seqLen];
      segment = new int[seqLen];
    }

    void add(int[] d, int len) {
      documents++;
      System.arraycopy(d, 0, tokens, used, len);
      Arrays.fill(segment, used, used + len, documents);
      used += len;
    }

    void close(List<int[]> rows, List<int[]> segments) {
      rows.add(Arrays.copyOf(tokens, used));
      segments.add(Arrays.copyOf(segment, used));
    }
  }
}
