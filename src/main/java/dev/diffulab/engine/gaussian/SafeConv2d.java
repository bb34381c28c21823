package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2-D convolution whose backward pass does not read memory it never wrote.
 *
 * <p>libtorch 2.7.1's CPU backward of a convolution with few filters (1, 2, 4 and 8 measured,
 * from 8, 16 and 32 channels; 16 filters and more not) computes the input's gradient in a
 * buffer it does not fully write: what the layers below receive depends on what that memory held
 * before — numbers that differ between passes on the same inputs, NaN where freed memory held
 * NaN bytes. That was the U-Net's non-finite steps that came and went (its output layer has one
 * filter). When a backward pass follows (training), a convolution with
 * fewer than {@link #SAFE_FILTERS} filters therefore runs padded with zero filters to that many
 * and keeps its own output channels: the same parameters, the same function, the same
 * checkpoints. Sampling runs it as it is (the forward pass is not affected).
 * {@code UninitialisedMemoryTest} shows the difference.
 */
final class SafeConv2d extends Conv2d {
  /** Filters from which the backward pass was measured sound. */
  static final int SAFE_FILTERS = 16;

  SafeConv2d(Conv2d.Builder builder) {
    super(builder);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    if (!training || filters >= SAFE_FILTERS || groups != 1) {
      return super.forwardInternal(ps, inputs, training, params);
    }
    NDArray x = inputs.singletonOrThrow(); // (B, C, H, W)
    NDManager m = x.getManager();
    NDArray w = ps.getValue(weight, x.getDevice(), true); // (F, C, k, k)
    Shape ws = w.getShape();
    long extra = SAFE_FILTERS - filters;
    NDArray wide = w.concat(m.zeros(new Shape(extra, ws.get(1), ws.get(2), ws.get(3)),
        w.getDataType()), 0); // (16, C, k, k)
    NDArray b = includeBias
        ? ps.getValue(bias, x.getDevice(), true).concat(m.zeros(new Shape(extra),
            w.getDataType()), 0) // (16)
        : null;
    NDArray y = Conv2d.conv2d(x, wide, b, stride, padding, dilation, groups).head();
    return new NDList(y.get(":, 0:" + filters)); // (B, F, H', W')
  }
}
