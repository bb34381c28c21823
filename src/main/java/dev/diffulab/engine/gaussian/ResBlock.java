package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.diffulab.engine.model.SafeConv2d;

/**
 * The DDPM U-Net's residual block: {@code h = conv(SiLU(GN(x))) + W·emb}, {@code out = skip(x) +
 * conv(SiLU(GN(h)))}, the time (and class) embedding added to every position of the first
 * convolution's output. Inputs x (B, Cin, H, W) and emb (B, E); output (B, Cout, H, W).
 */
final class ResBlock extends AbstractBlock {
  private final int in;
  private final int out;
  private final GroupNorm norm1;
  private final Conv2d conv1;
  private final Linear embed;
  private final GroupNorm norm2;
  private final Conv2d conv2;
  private final Conv2d skip;

  ResBlock(int in, int out) {
    this.in = in;
    this.out = out;
    norm1 = addChildBlock("norm1", new GroupNorm(in));
    conv1 = addChildBlock("conv1", conv3(out));
    embed = addChildBlock("embed", Linear.builder().setUnits(out).build());
    norm2 = addChildBlock("norm2", new GroupNorm(out));
    conv2 = addChildBlock("conv2", conv3(out));
    skip = in == out
        ? null
        : addChildBlock("skip", new SafeConv2d(Conv2d.builder()
            .setKernelShape(new Shape(1, 1)).setFilters(out)));
  }

  static Conv2d conv3(int filters) {
    return new SafeConv2d(Conv2d.builder().setKernelShape(new Shape(3, 3))
        .optPadding(new Shape(1, 1)).setFilters(filters));
  }

  /**
   * SiLU, x · σ(x). Not DJL's {@code Activation.swish}: it computes σ(β · x) with {@code
   * NDArray.mul(Number)}, whose temporary libtorch's graph reads after it is freed (see {@code
   * Scalars}) — NaN gradients, and at times a NaN loss, that came and went.
   */
  static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0); // (B, Cin, H, W)
    NDArray emb = inputs.get(1); // (B, E)
    long b = x.getShape().get(0);
    NDArray h = conv1.forward(ps, new NDList(silu(norm1.forward(ps, new NDList(x), training)
        .head())), training).head(); // (B, Cout, H, W)
    NDArray e = embed.forward(ps, new NDList(silu(emb)), training).head() // (B, Cout)
        .reshape(b, out, 1, 1);
    h = h.add(e);
    h = conv2.forward(ps, new NDList(silu(norm2.forward(ps, new NDList(h), training).head())),
        training).head(); // (B, Cout, H, W)
    NDArray base = skip == null ? x : skip.forward(ps, new NDList(x), training).head();
    return new NDList(base.add(h));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[]{new Shape(x.get(0), out, x.get(2), x.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
      Shape... inputShapes) {
    Shape x = inputShapes[0];
    Shape y = new Shape(x.get(0), out, x.get(2), x.get(3));
    norm1.initialize(manager, dataType, x);
    conv1.initialize(manager, dataType, x);
    embed.initialize(manager, dataType, inputShapes[1]);
    norm2.initialize(manager, dataType, y);
    conv2.initialize(manager, dataType, y);
    if (skip != null) {
      skip.initialize(manager, dataType, x);
    }
  }
}
