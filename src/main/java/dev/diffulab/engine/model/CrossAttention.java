package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Multi-head cross-attention with a residual, as in an encoder–decoder transformer (Vaswani et
 * al. 2017) and CodeFusion's denoiser (Singh et al. 2023): the queries come from the normalised
 * sequence, keys and values from a memory — an encoder's states — so each position reads the
 * condition: {@code out = x + W_o · Attention(W_q LN(x), W_k M, W_v M)}. The output map starts at
 * zero, so a fresh block passes its input through unchanged.
 *
 * <p>Inputs: {@code x} (B, T, D), {@code memory} (B, S, D) and {@code keyBias} (B, 1, 1, S), 0
 * for the memory's real positions and a large negative number for its padding. Output (B, T, D).
 */
public final class CrossAttention extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int dModel;
  private final int heads;
  private final LayerNorm norm;
  private final Linear query;
  private final Linear keyValue;
  private final Linear out;

  public CrossAttention(int dModel, int heads) {
    super(VERSION);
    if (dModel % heads != 0) {
      throw new IllegalArgumentException("width " + dModel + " is not a multiple of " + heads
          + " heads");
    }
    this.dModel = dModel;
    this.heads = heads;
    norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    query = addChildBlock("query", Linear.builder().setUnits(dModel).build());
    keyValue = addChildBlock("key_value", Linear.builder().setUnits(2L * dModel).build());
    out = addChildBlock("out", Linear.builder().setUnits(dModel).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0); // (B, T, D)
    NDArray memory = inputs.get(1); // (B, S, D)
    NDArray keyBias = inputs.get(2); // (B, 1, 1, S)
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long s = memory.getShape().get(1);
    long dh = dModel / heads;
    NDArray a = norm.forward(ps, new NDList(x), training).head(); // (B, T, D)
    NDArray q = query.forward(ps, new NDList(a), training).head()
        .reshape(b, t, heads, dh).transpose(0, 2, 1, 3); // (B, H, T, Dh)
    NDArray kv = keyValue.forward(ps, new NDList(memory), training).head()
        .reshape(b, s, 2, heads, dh).transpose(2, 0, 3, 1, 4); // (2, B, H, S, Dh)
    NDArray k = kv.get(0); // (B, H, S, Dh)
    NDArray v = kv.get(1); // (B, H, S, Dh)
    NDArray merged = TransformerBlock.attend(q, k, v, keyBias); // (B, T, D), padding unread
    return new NDList(x.add(out.forward(ps, new NDList(merged), training).head()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[]{inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    Shape x = inputShapes[0]; // (B, T, D)
    Shape memory = inputShapes[1]; // (B, S, D)
    norm.initialize(manager, dataType, x);
    query.initialize(manager, dataType, x);
    keyValue.initialize(manager, dataType, memory);
    out.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
    out.initialize(manager, dataType, x);
  }
}
