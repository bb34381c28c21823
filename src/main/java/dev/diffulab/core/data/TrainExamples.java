package dev.diffulab.core.data;

import java.util.List;

/**
 * What a run draws its batches from: one document per example, or (with {@code data.packing})
 * rows of several whole documents kept apart by their segments ({@link Packing}).
 */
public final class TrainExamples {
  private final List<int[]> rows;
  private final Packing packing;

  private TrainExamples(List<int[]> rows, Packing packing) {
    this.rows = rows;
    this.packing = packing;
  }

  /** One (already truncated) document per example. */
  public static TrainExamples documents(List<int[]> docs) {
    return new TrainExamples(docs, null);
  }

  public static TrainExamples packed(Packing packing) {
    return new TrainExamples(packing.rows(), packing);
  }

  /** The length of every example (its real tokens). */
  public int[] lengths() {
    int[] out = new int[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i).length;
    }
    return out;
  }

  /** The examples {@code indices} as a batch padded to the longest of them. */
  public TrainBatch batch(int[] indices, int padId) {
    return packing != null
        ? TrainBatch.of(packing, indices, padId)
        : TrainBatch.of(rows, indices, padId);
  }
}
