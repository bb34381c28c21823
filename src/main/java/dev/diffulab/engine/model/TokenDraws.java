package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.config.SamplerConfig.TokenChoice;

/**
 * The per-step reductions of a sampler, computed on the device at any vocabulary size: the
 * distribution at temperature τ, its entropy and the five most likely tokens, and at the rows
 * that need one — in float64 (Zheng et al. 2024: float32 draws lower the effective temperature) — a
 * greedy, top-k or nucleus draw by inverse CDF with a uniform number given by the host — so the
 * same seed gives the same draw on any device. Only these few numbers per row come back.
 */
public final class TokenDraws {
  /** Nucleus candidates taken with top-k first; a full sort only when they hold less than p. */
  static final int NUCLEUS_CANDIDATES = 256;
  private static final int TOP = 5;

  private TokenDraws() {
  }

  /**
   * Host copies of the reductions.
   *
   * @param entropy per row, nats (R)
   * @param topIds the five most likely ids per row (R × 5)
   * @param topProbs their probabilities (R × 5)
   * @param chosen the drawn id at each draw row (D)
   * @param chosenProb its probability (D)
   */
  public record Summary(float[] entropy, int[][] topIds, float[][] topProbs, int[] chosen,
      float[] chosenProb) {
  }

  /** How to draw: the token choice and its parameters, the temperature. */
  public record Rule(TokenChoice choice, int topK, double topP, double temperature,
      double minP) {
    /** A rule that is not min-p sampling. */
    public Rule(TokenChoice choice, int topK, double topP, double temperature) {
      this(choice, topK, topP, temperature, SamplerConfig.DEFAULT_MIN_P);
    }

    /** The rule of {@code s}: its token choice, top-k, top-p, min-p and temperature. */
    public static Rule of(SamplerConfig s) {
      return new Rule(s.tokenChoice(), s.topK(), s.topP(), s.temperature(), s.minP());
    }
  }

  /**
   * @param logits (R, V)
   * @param drawRows the rows (indices into R) that get a draw
   * @param uniforms one number in [0, 1) per draw row
   */
  public static Summary summarise(NDArray logits, Rule rule, int[] drawRows, double[] uniforms) {
    int rows = (int) logits.getShape().get(0);
    long vocab = logits.getShape().get(1);
    int k = (int) Math.min(TOP, vocab);
    float[] entropy = new float[rows];
    int[][] topIds = new int[rows][];
    float[][] topProbs = new float[rows][];
    int[] chosen = new int[drawRows.length];
    float[] chosenProb = new float[drawRows.length];
    // blocks of rows small enough for the allocator to reuse (TokenCrossEntropy)
    int block = TokenCrossEntropy.rows(vocab, Double.BYTES);
    int d = 0;
    for (int from = 0; from < rows; from += block) {
      int to = Math.min(rows, from + block);
      int d0 = d;
      while (d < drawRows.length && drawRows[d] < to) {
        d++;
      }
      int[] local = new int[d - d0];
      for (int i = 0; i < local.length; i++) {
        local[i] = drawRows[d0 + i] - from;
      }
      Summary part = block(logits.get(from + ":" + to), rule, local,
          java.util.Arrays.copyOfRange(uniforms, d0, d), k);
      System.arraycopy(part.entropy(), 0, entropy, from, to - from);
      System.arraycopy(part.topIds(), 0, topIds, from, to - from);
      System.arraycopy(part.topProbs(), 0, topProbs, from, to - from);
      System.arraycopy(part.chosen(), 0, chosen, d0, d - d0);
      System.arraycopy(part.chosenProb(), 0, chosenProb, d0, d - d0);
    }
    return new Summary(entropy, topIds, topProbs, chosen, chosenProb);
  }

  /** {@link #summarise} for one block of rows (draw rows ascending, local to the block). */
  private static Summary block(NDArray logits, Rule rule, int[] drawRows, double[] uniforms,
      int k) {
    long rows = logits.getShape().get(0);
    // what the trace shows (entropy, top five) in float32; the draws below in float64
    NDArray scaled = Scalars.div(logits, (float) rule.temperature()); // (R, V)
    NDArray logp = scaled.logSoftmax(-1); // (R, V)
    NDArray entropy = logp.exp().mul(logp).sum(new int[]{-1}).neg(); // (R)
    NDList top = logp.topK(k, -1, true, true); // (R, 5) log-probabilities, (R, 5) ids
    Drawn drawn = drawBlock(logits, rule, drawRows, uniforms);
    int[] chosen = drawn.chosen();
    float[] chosenProb = drawn.chosenProb();
    float[] h = entropy.toType(DataType.FLOAT32, false).toFloatArray();
    float[] topP = top.get(0).exp().toFloatArray();
    int[] topI = toInts(top.get(1));
    int[][] topIds = new int[(int) rows][k];
    float[][] topProbs = new float[(int) rows][k];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(topI, r * k, topIds[r], 0, k);
      System.arraycopy(topP, r * k, topProbs[r], 0, k);
    }
    return new Summary(h, topIds, topProbs, chosen, chosenProb);
  }

  /** Tokens drawn at some rows, and the probability of each. */
  public record Drawn(int[] chosen, float[] chosenProb) {
  }

  /**
   * Draws at {@code drawRows} only (in any order), with one uniform each: what {@link
   * #summarise} draws at those rows, without the entropies and top five of every row — for a
   * sampler that decided from those where its tokens are kept before drawing them.
   */
  public static Drawn drawAt(NDArray logits, Rule rule, int[] drawRows, double[] uniforms) {
    long vocab = logits.getShape().get(1);
    int block = TokenCrossEntropy.rows(vocab, Double.BYTES);
    int[] chosen = new int[drawRows.length];
    float[] chosenProb = new float[drawRows.length];
    for (int from = 0; from < drawRows.length; from += block) {
      int to = Math.min(drawRows.length, from + block);
      Drawn part = drawBlock(logits, rule, java.util.Arrays.copyOfRange(drawRows, from, to),
          java.util.Arrays.copyOfRange(uniforms, from, to));
      System.arraycopy(part.chosen(), 0, chosen, from, to - from);
      System.arraycopy(part.chosenProb(), 0, chosenProb, from, to - from);
    }
    return new Drawn(chosen, chosenProb);
  }

  /** The draws at {@code drawRows} of {@code logits} (R, V), in float64. */
  private static Drawn drawBlock(NDArray logits, Rule rule, int[] drawRows, double[] uniforms) {
    if (drawRows.length == 0) {
      return new Drawn(new int[0], new float[0]);
    }
    NDManager m = logits.getManager();
    long vocab = logits.getShape().get(1);
    NDArray at = m.create(drawRows).toType(DataType.INT64, false); // (D)
    NDArray pd = Scalars.div(logits.get(new NDIndex("{}", at)) // (D, V)
        .toType(DataType.FLOAT64, false), rule.temperature()).softmax(-1); // (D, V)
    NDArray u = m.create(uniforms).reshape(-1, 1); // (D, 1) float64
    NDArray ids = draw(pd, u, rule, vocab); // (D) int64
    NDArray prob = pd.gather(ids.reshape(-1, 1), 1).reshape(-1); // (D)
    return new Drawn(toInts(ids), prob.toType(DataType.FLOAT32, false).toFloatArray());
  }

  /** The drawn ids (D) from distributions pd (D, V) with uniforms u (D, 1). */
  private static NDArray draw(NDArray pd, NDArray u, Rule rule, long vocab) {
    return switch (rule.choice()) {
      case GREEDY -> pd.argMax(-1); // (D)
      case TOP_K -> {
        NDList tk = pd.topK((int) Math.min(rule.topK(), vocab), -1, true, true); // (D, k) ×2
        yield pick(tk.get(0), tk.get(1), u, null);
      }
      case NUCLEUS -> {
        int c = (int) Math.min(NUCLEUS_CANDIDATES, vocab);
        NDList tk = pd.topK(c, -1, true, true); // (D, c) ×2
        NDArray vals = tk.get(0);
        NDArray ids = tk.get(1);
        // the candidates suffice when every row's top c already hold p (one scalar read)
        boolean enough = c == vocab || vals.sum(new int[]{1}).gte(rule.topP()).all().getBoolean();
        if (!enough) {
          ids = pd.argSort(-1, false); // (D, V)
          vals = pd.gather(ids, 1); // (D, V)
        }
        NDArray cum = vals.cumSum(1); // (D, c)
        // the nucleus: every token whose preceding mass is still below p (at least one)
        NDArray size = cum.sub(vals).lt(rule.topP()).toType(DataType.INT64, false)
            .sum(new int[]{1}, true); // (D, 1)
        yield pick(vals, ids, u, size);
      }
      case MIN_P -> {
        int c = (int) Math.min(NUCLEUS_CANDIDATES, vocab);
        NDList tk = pd.topK(c, -1, true, true); // (D, c) ×2
        NDArray vals = tk.get(0);
        NDArray ids = tk.get(1);
        NDArray cut = Scalars.mul(vals.get(":, 0:1"), rule.minP()); // (D, 1)
        // the candidates suffice when every row's c-th is already below the cut
        boolean enough = c == vocab || vals.get(":, " + (c - 1) + ":").lt(cut).all().getBoolean();
        if (!enough) {
          ids = pd.argSort(-1, false); // (D, V)
          vals = pd.gather(ids, 1); // (D, V)
        }
        // every token at least minP × the likeliest (the likeliest always)
        NDArray size = Scalars.maximum(vals.gte(cut).toType(DataType.INT64, false)
            .sum(new int[]{1}, true), 1L); // (D, 1)
        yield pick(vals, ids, u, size);
      }
    };
  }

  /**
   * Inverse CDF over candidates sorted most likely first: the first whose cumulative mass
   * exceeds u × the mass of the first {@code size} (all when null).
   */
  private static NDArray pick(NDArray vals, NDArray ids, NDArray u, NDArray size) {
    NDArray cum = vals.cumSum(1); // (D, c)
    long c = vals.getShape().get(1);
    NDArray last = size == null
        ? vals.getManager().full(new ai.djl.ndarray.types.Shape(vals.getShape().get(0), 1),
            (int) c).toType(DataType.INT64, false) // (D, 1)
        : size; // (D, 1)
    NDArray total = cum.gather(Scalars.sub(last, 1), 1); // (D, 1)
    NDArray pos = cum.lte(u.mul(total)).toType(DataType.INT64, false)
        .sum(new int[]{1}, true) // (D, 1)
        .minimum(Scalars.sub(last, 1)); // (D, 1)
    return ids.gather(pos, 1).reshape(-1); // (D)
  }

  private static int[] toInts(NDArray a) {
    long[] l = a.toType(DataType.INT64, false).toLongArray();
    int[] out = new int[l.length];
    for (int i = 0; i < l.length; i++) {
      out[i] = (int) l[i];
    }
    return out;
  }
}
