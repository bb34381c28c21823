package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov & Hutter 2019): Adam moments with bias correction and weight decay applied to
 * the weights directly, not through the gradient; biases and LayerNorm gains are not decayed.
 * Gradients are first clipped to a global L2 norm. A parameter may learn at a multiple of the
 * learning rate (CDCD's token embeddings do). The moments are kept so that a resumed run continues
 * exactly.
 */
public final class AdamW implements AutoCloseable {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPS = 1e-8f;

  private final List<Parameter> params;
  private final List<Boolean> decay = new ArrayList<>();
  private final List<Float> lrScale = new ArrayList<>();
  private final NDManager manager;
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private final double weightDecay;
  private final double clipNorm;
  private int updates;
  private int skipped;
  private int recomputed;
  private String lastSkip = "";
  private List<NDArray> lastSums = List.of();

  public AdamW(List<Parameter> params, NDManager parent, double weightDecay, double clipNorm) {
    this(params, parent, weightDecay, clipNorm, p -> 1.0);
  }

  /** @param lrScale the factor on the learning rate of each parameter */
  public AdamW(List<Parameter> params, NDManager parent, double weightDecay, double clipNorm,
      java.util.function.ToDoubleFunction<Parameter> lrScale) {
    this.params = params;
    this.manager = parent.newSubManager();
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
    for (Parameter p : params) {
      NDArray w = p.getArray();
      m.add(manager.zeros(w.getShape()));
      v.add(manager.zeros(w.getShape()));
      // matrices decay; vectors (biases, norms) do not
      decay.add(w.getShape().dimension() >= 2);
      this.lrScale.add((float) lrScale.applyAsDouble(p));
    }
  }

  /**
   * One update with learning rate {@code lr}; returns the gradient norm before clipping. Call after
   * the gradient collector has closed, inside an {@code NDScope} that frees the temporaries.
   */
  public float step(double lr) {
    return step(lr, gradientNorm());
  }

  /**
   * As {@link #step(double)} with the gradient norm {@code norm} that {@link #gradientNorm} just
   * measured: a non-finite one skips the update.
   */
  public float step(double lr, float norm) {
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(false); // in-place updates of leaf tensors must not be recorded
    try {
      return update(lr, norm);
    } finally {
      JniUtils.setGradMode(recording);
    }
  }

  /**
   * The global L2 norm of the gradients the parameters hold now: NaN or infinite when the
   * backward pass went wrong. Call inside the step's {@code NDScope}.
   */
  public float gradientNorm() {
    NDArray sq = null;
    List<NDArray> sums = new ArrayList<>(params.size());
    for (Parameter p : params) {
      NDArray s = p.getArray().getGradient().square().sum();
      sums.add(s);
      sq = sq == null ? s : sq.add(s);
    }
    lastSums = sums;
    return (float) Math.sqrt(sq.getFloat());
  }

  /**
   * Drops a non-finite gradient so that the step's forward and backward pass can be run again on
   * the same batch: a pass that fails now and then on the same inputs costs one recomputation
   * instead of a skipped update and a changed run. The causes found so far (DJL's number
   * arithmetic, see {@link Scalars}; libtorch's convolutions, see {@link SafeConv2d}) are fixed,
   * and with NaN bytes left in freed memory before every backward pass no family's tests
   * recompute any more; the count ({@code recomputed_steps} in a run's metrics) shows a new one.
   */
  public void discardForRecompute() {
    recomputed++;
    lastSkip = describe(lastSums);
    zeroGradients();
  }

  /** Steps whose gradient was not finite and was computed again. */
  public int recomputed() {
    return recomputed;
  }

  private float update(double lr, float norm) {
    if (!Float.isFinite(norm)) {
      // an overflow in the backward pass: skip this update rather than poison every weight
      skipped++;
      lastSkip = describe(lastSums);
      zeroGradients();
      return norm;
    }
    List<NDArray> grads = new ArrayList<>(params.size());
    for (Parameter p : params) {
      grads.add(p.getArray().getGradient());
    }
    updates++;
    float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / norm) : 1f;
    float c1 = (float) (1 - Math.pow(BETA1, updates));
    float c2 = (float) (1 - Math.pow(BETA2, updates));
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i).getArray();
      NDArray g = Scalars.mul(grads.get(i), scale);
      Scalars.muli(m.get(i), BETA1).addi(Scalars.mul(g, 1 - BETA1));
      Scalars.muli(v.get(i), BETA2).addi(Scalars.mul(g.square(), 1 - BETA2));
      if (decay.get(i) && weightDecay > 0) {
        Scalars.muli(w, (float) (1 - lr * weightDecay));
      }
      NDArray denominator = Scalars.add(Scalars.div(v.get(i), c2).sqrt(), EPS);
      NDArray update = Scalars.mul(Scalars.div(m.get(i), c1).div(denominator),
          (float) lr * lrScale.get(i));
      w.subi(update);
    }
    zeroGradients();
    return norm;
  }

  /** Sets every gradient to zero (not x − x, which turns an infinite gradient into NaN). */
  private void zeroGradients() {
    for (Parameter p : params) {
      JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p.getArray());
    }
  }

  /**
   * Which parameters had a non-finite gradient at the last skipped update, and what (NaN or
   * infinite squared sum): where to look when updates are skipped. Read only when skipping.
   */
  private String describe(List<NDArray> sums) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < params.size(); i++) {
      float v = sums.get(i).getFloat();
      if (!Float.isFinite(v)) {
        // the shape tells apart the blocks' alike-named weights
        out.append(out.isEmpty() ? "" : ", ").append(params.get(i).getName()).append(' ')
            .append(params.get(i).getArray().getShape())
            .append(Float.isNaN(v) ? " (NaN)" : " (infinite)");
      }
    }
    return out.isEmpty() ? "the sum of squares overflowed" : out.toString();
  }

  /**
   * The parameters whose gradient was not finite at the last skipped update or recomputed step
   * ("" if none).
   */
  public String lastSkip() {
    return lastSkip;
  }

  /** Updates skipped because the gradient was not finite. */
  public int skipped() {
    return skipped;
  }

  public int updates() {
    return updates;
  }

  /** The moments as one list (m₀, v₀, m₁, v₁, …) for a checkpoint. */
  public NDList state() {
    NDList out = new NDList();
    for (int i = 0; i < params.size(); i++) {
      out.add(m.get(i));
      out.add(v.get(i));
    }
    return out;
  }

  public void restore(NDList state, int updateCount) {
    if (state.size() != 2 * params.size()) {
      throw new IllegalArgumentException("optimizer state has " + state.size()
          + " arrays, expected " + 2 * params.size());
    }
    for (int i = 0; i < params.size(); i++) {
      m.get(i).set(state.get(2 * i).toFloatArray());
      v.get(i).set(state.get(2 * i + 1).toFloatArray());
    }
    updates = updateCount;
  }

  @Override
  public void close() {
    manager.close();
  }
}
