package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm transformer block (as in GPT-2 and the diffusion LMs built on it, but
 * bidirectional): {@code h = x + Attention(LN(x))}, {@code out = h + MLP(LN(h))}, attention
 * honouring a key padding mask and a GELU MLP.
 *
 * <p>Inputs: {@code x} (B, T, D) and {@code keyBias} (B, 1, 1, T), 0 for real tokens and a large
 * negative number for padding; optionally a third, {@code modulation} (B, 6D), which makes it
 * DiT's adaLN block (Peebles &amp; Xie 2023): shift, scale and gate of each half from a
 * conditioning vector, {@code h = x + g₁ · Attention(LN(x)(1 + s₁) + b₁)}, {@code out = h + g₂ ·
 * MLP(LN(h)(1 + s₂) + b₂)}. Output: (B, T, D).
 */
public final class TransformerBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int dModel;
  private final int heads;
  private final LayerNorm norm1;
  private final Linear qkv;
  private final Linear attnOut;
  private final LayerNorm norm2;
  private final Linear mlpIn;
  private final Linear mlpOut;

  public TransformerBlock(int dModel, int heads, int ffn) {
    super(VERSION);
    this.dModel = dModel;
    this.heads = heads;
    norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
    qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dModel).build());
    attnOut = addChildBlock("attn_out", Linear.builder().setUnits(dModel).build());
    norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
    mlpIn = addChildBlock("mlp_in", Linear.builder().setUnits(ffn).build());
    mlpOut = addChildBlock("mlp_out", Linear.builder().setUnits(dModel).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0); // (B, T, D)
    NDArray keyBias = inputs.get(1); // (B, 1, 1, T)
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long dh = dModel / heads;
    // adaLN: six (B, 1, D) pieces — shift, scale, gate of the attention, then of the MLP
    NDList mod = inputs.size() > 2
        ? inputs.get(2).reshape(b, 1, 6 * dModel).split(6, 2)
        : null;

    // 1. attention on the normalised input
    NDArray a = norm1.forward(ps, new NDList(x), training).head(); // (B, T, D)
    if (mod != null) {
      a = a.mul(Scalars.add(mod.get(1), 1f)).add(mod.get(0));
    }
    NDArray qkvAll = qkv.forward(ps, new NDList(a), training).head(); // (B, T, 3D)
    NDArray split = qkvAll.reshape(b, t, 3, heads, dh).transpose(2, 0, 3, 1, 4); // (3, B, H, T, Dh)
    NDArray q = split.get(0); // (B, H, T, Dh)
    NDArray k = split.get(1); // (B, H, T, Dh)
    NDArray v = split.get(2); // (B, H, T, Dh)
    NDArray merged = attend(q, k, v, keyBias); // (B, T, D)
    NDArray attended = attnOut.forward(ps, new NDList(merged), training).head(); // (B, T, D)
    NDArray h = x.add(mod != null ? attended.mul(mod.get(2)) : attended); // (B, T, D)

    // 2. the MLP on the normalised result
    NDArray m = norm2.forward(ps, new NDList(h), training).head(); // (B, T, D)
    if (mod != null) {
      m = m.mul(Scalars.add(mod.get(4), 1f)).add(mod.get(3));
    }
    NDArray up = Activation.gelu(mlpIn.forward(ps, new NDList(m), training).head()); // (B, T, F)
    NDArray mixedOut = mlpOut.forward(ps, new NDList(up), training).head(); // (B, T, D)
    NDArray out = h.add(mod != null ? mixedOut.mul(mod.get(5)) : mixedOut); // (B, T, D)
    return new NDList(out);
  }

  /**
   * Scaled dot-product attention of queries (B, H, T, Dh) over keys and values (B, H, S, Dh),
   * {@code keyBias} added to the scores (0, or a large negative number for a key never to be
   * read), the heads merged back: (B, T, H·Dh).
   */
  static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray keyBias) {
    Shape shape = q.getShape(); // (B, H, T, Dh)
    long dh = shape.get(3);
    NDArray scores = Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(dh)); // (B,H,T,S)
    NDArray weights = scores.add(keyBias).softmax(-1); // (B, H, T, S), masked keys get none
    return weights.matMul(v).transpose(0, 2, 1, 3) // (B, T, H, Dh)
        .reshape(shape.get(0), shape.get(2), shape.get(1) * dh);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[]{inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    Shape x = inputShapes[0]; // (B, T, D)
    Shape ffnShape = new Shape(x.get(0), x.get(1), mlpIn.getOutputShapes(new Shape[]{x})[0]
        .get(2));
    norm1.initialize(manager, dataType, x);
    qkv.initialize(manager, dataType, x);
    attnOut.initialize(manager, dataType, x);
    norm2.initialize(manager, dataType, x);
    mlpIn.initialize(manager, dataType, x);
    mlpOut.initialize(manager, dataType, ffnShape);
  }
}
