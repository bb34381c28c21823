package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

/**
 * Cross-entropy taken by index, only where a loss reads it: the final hidden states are gathered
 * at the scored positions first, the vocabulary head runs on those rows alone, and −log p(target)
 * is the log-softmax gathered at the target id — never a one-hot tensor, never logits at
 * positions nobody scores. For masked diffusion that is the masked positions (about half of them
 * on average); for CDCD every real, non-prompt position (no padding).
 */
public final class TokenCrossEntropy {
  private TokenCrossEntropy() {
  }

  /**
   * Rows of a (B, T) batch to score, flattened: row {@code n} is position {@code position[n]} of
   * the flattened (B·T) grid, sequence {@code sequence[n]}, with target id {@code target[n]}.
   */
  public record Rows(int[] position, int[] sequence, int[] target) {
    public int size() {
      return position.length;
    }

    /** The rows of {@code ids} (B × T) where {@code scored} is non-zero, in row-major order. */
    public static Rows where(float[][] scored, int[][] ids) {
      return where(scored, ids, null);
    }

    /**
     * As {@link #where(float[][], int[][])}, each row's sequence being {@code group[b][j]} (the
     * document of a packed batch) instead of its row b.
     */
    public static Rows where(float[][] scored, int[][] ids, int[][] group) {
      int n = 0;
      for (float[] row : scored) {
        for (float s : row) {
          n += s != 0 ? 1 : 0;
        }
      }
      int[] position = new int[n];
      int[] sequence = new int[n];
      int[] target = new int[n];
      int k = 0;
      for (int b = 0; b < scored.length; b++) {
        int t = scored[b].length;
        for (int j = 0; j < t; j++) {
          if (scored[b][j] != 0) {
            position[k] = b * t + j;
            sequence[k] = group == null ? b : group[b][j];
            target[k] = ids[b][j];
            k++;
          }
        }
      }
      return new Rows(position, sequence, target);
    }
  }

  /**
   * −log p(target) at every scored row: (N).
   *
   * @param h final hidden states (B, T, D)
   */
  public static NDArray nll(VocabularyHead head, ParameterStore ps, NDArray h, Rows rows,
      boolean training) {
    NDManager m = h.getManager();
    NDArray picked = pick(h, rows.position()); // (N, D)
    NDArray targets = m.create(rows.target()).toType(DataType.INT64, false) // (N)
        .reshape(-1, 1); // (N, 1)
    int n = rows.size();
    int chunk = rows(head.vocab(), Float.BYTES);
    NDList parts = new NDList();
    for (int from = 0; from < n; from += chunk) {
      String range = from + ":" + Math.min(n, from + chunk);
      NDArray logits = head.project(ps, picked.get(range), training); // (n, V)
      parts.add(logits.logSoftmax(-1).gather(targets.get(range), 1).reshape(-1).neg()); // (n)
    }
    return parts.size() == 1 ? parts.head() : NDArrays.concat(parts); // (N)
  }

  /**
   * Largest blocks of any (rows, V) tensor kept under this many bytes. glibc hands out larger
   * blocks by mmap and returns them on free, so every step would fault in fresh zeroed pages —
   * at a 30,522-token vocabulary that cost more than the arithmetic. Blocks below it are reused.
   */
  public static final long BLOCK_BYTES = 8L << 20;

  /** Rows per block so that a (rows, V) tensor of {@code bytes}-sized elements stays small. */
  public static int rows(long vocab, int bytes) {
    return (int) Math.max(1, BLOCK_BYTES / (vocab * bytes));
  }

  /**
   * The rows {@code flat} of {@code x} (…, C) with every axis but the last flattened: (R, C).
   * How the head is run only where something is read.
   */
  public static NDArray pick(NDArray x, int[] flat) {
    long c = x.getShape().get(x.getShape().dimension() - 1);
    NDArray at = x.getManager().create(flat).toType(DataType.INT64, false); // (R)
    return x.reshape(-1, c).get(new NDIndex("{}", at)); // (R, C)
  }

  /** Sums of per-row values by sequence: (B), zero for a sequence with no scored row. */
  public static NDArray perSequence(NDArray values, Rows rows, int batch) {
    NDManager m = values.getManager();
    float[][] member = new float[batch][rows.size()];
    for (int n = 0; n < rows.size(); n++) {
      member[rows.sequence()[n]][n] = 1f;
    }
    return m.create(member).matMul(values.reshape(-1, 1)).reshape(batch); // (B)
  }
}
