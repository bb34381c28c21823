package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.diffulab.core.data.TrainBatch;

/**
 * Where the documents of a batch are, as the transformer needs it: the attention bias and the
 * position of every token. A row of one document (or padding after it) attends to its real
 * tokens, positions 0, 1, 2, …; a packed row of several documents attends only within each
 * document, positions counted from each document's start.
 *
 * @param attentionBias (B, 1, 1, T) for rows of one document — 0 for real keys, {@link
 *     Denoiser#NEVER} for padding — or (B, 1, T, T) for packed rows, NEVER between documents
 * @param positions (B, T) int64 position ids, or null for 0 … T−1 in every row
 * @param ends (B, T) int64: every real token's distance to its document's last token (0 at
 *     padding), what {@code model.end_positions} looks up; null for rows of one document, whose
 *     distances {@link #endVectors} derives from {@code keep} only when a model asks
 * @param keep the padding mask (B, T) of rows of one document, or null for packed rows
 */
public record Layout(NDArray attentionBias, NDArray positions, NDArray ends, NDArray keep) {

  /** Rows of one document each, padded: from the padding mask (B, T). */
  public static Layout of(NDArray keep) {
    return new Layout(Denoiser.keyBias(keep), null, null, keep);
  }

  /**
   * From the segments of a batch (B × T: 0 for padding, 1, 2, … for the documents of a row);
   * the cheap one-document form when no row holds two documents.
   */
  public static Layout of(NDManager m, int[][] segment) {
    if (!TrainBatch.packed(segment)) {
      return of(m.create(TrainBatch.keep(segment)));
    }
    NDArray s = m.create(segment).toType(DataType.FLOAT32, false); // (B, T)
    NDArray same = s.expandDims(2).eq(s.expandDims(1)).toType(DataType.FLOAT32, false); // (B,T,T)
    NDArray realKey = s.gt(0f).toType(DataType.FLOAT32, false).expandDims(1); // (B, 1, T)
    NDArray bias = Scalars.mul(Scalars.sub(same.mul(realKey), 1f), -Denoiser.NEVER)
        .expandDims(1); // (B, 1, T, T)
    return new Layout(bias, m.create(TrainBatch.positions(segment))
        .toType(DataType.INT64, false), // (B, T)
        m.create(TrainBatch.ends(segment)).toType(DataType.INT64, false), // (B, T)
        null);
  }

  /** The learned end-position vectors (B, T, D) from the table (T_max, D). */
  public NDArray endVectors(NDArray table) {
    NDArray distance = ends;
    if (distance == null) {
      // rows of one document, padded after it: length − 1 − position, 0 at padding
      long t = keep.getShape().get(1);
      NDArray length = keep.sum(new int[]{1}, true); // (B, 1)
      NDArray index = keep.getManager().arange(0f, (float) t).reshape(1, t); // (1, T)
      distance = Scalars.maximum(Scalars.sub(length, 1f).sub(index), 0f)
          .toType(DataType.INT64, false); // (B, T)
    }
    // the embedding lookup: one gather forward, one scatter-add backward
    return ai.djl.nn.core.Embedding.embedding(distance, table,
        ai.djl.ndarray.types.SparseFormat.DENSE).head(); // (B, T, D)
  }

  /** The learned position vectors (B or 1, T, D) for a (·, T) batch from the table (T_max, D). */
  public NDArray positionVectors(NDArray table, long t) {
    if (positions == null) {
      return table.get("0:" + t); // (T, D)
    }
    return ai.djl.nn.core.Embedding.embedding(positions, table,
        ai.djl.ndarray.types.SparseFormat.DENSE).head(); // (B, T, D)
  }
}
