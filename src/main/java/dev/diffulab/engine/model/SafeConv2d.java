package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2-D convolution that never lets libtorch's CPU kernels read memory they did not write.
 *
 * <p>libtorch 2.7.1 runs CPU convolutions through oneDNN, which stores channels in blocks of 16
 * (8 on AVX2 processors). Where a convolution's input channels or filters are not a whole number
 * of blocks, the block's spare lanes are left holding whatever the memory held before, and some
 * kernels read them: measured on AVX-512 processors, the forward pass (and so everything after it)
 * when the input has 24 or 40 channels, and the input's gradient when there are 1, 8, 24 or 40
 * filters. What comes out then depends on freed memory — numbers that differ between passes on
 * the same inputs, NaN where that memory held NaN bytes: the non-finite training steps and
 * samples that came and went. Which shapes are hit differs between processors (an AVX-512
 * machine without bfloat16 support hits more than one with it).
 *
 * <p>So a convolution whose input channels or filters are not a multiple of {@link #BLOCK} runs,
 * in training and in sampling alike, padded with zero channels and zero filters to the next
 * multiple and keeps its own output channels: the same parameters, the same function, the same
 * checkpoints; the spare lanes then hold zeros this class wrote. A shape that is already whole
 * costs nothing. {@code SafeConv2dTest} and {@code UninitialisedMemoryTest} show the difference.
 */
public final class SafeConv2d extends Conv2d {
  /** The widest channel block of oneDNN's f32 kernels (AVX-512); narrower blocks divide it. */
  public static final int BLOCK = 16;

  /** A convolution built as {@code builder} says. */
  public SafeConv2d(Conv2d.Builder builder) {
    super(builder);
  }

  /** {@code n} rounded up to a whole number of blocks. */
  static long whole(long n) {
    return (n + BLOCK - 1) / BLOCK * BLOCK;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow(); // (B, C, H, W)
    Shape xs = x.getShape();
    long channels = xs.get(1);
    long wideFilters = whole(filters);
    long wideChannels = whole(channels);
    if (groups != 1 || (wideFilters == filters && wideChannels == channels)) {
      return super.forwardInternal(ps, inputs, training, params);
    }
    NDManager m = x.getManager();
    NDArray w = ps.getValue(weight, x.getDevice(), training); // (F, C, k, k)
    Shape ws = w.getShape();
    if (wideFilters > filters) {
      w = w.concat(m.zeros(new Shape(wideFilters - filters, channels, ws.get(2), ws.get(3)),
          w.getDataType()), 0); // (F', C, k, k)
    }
    if (wideChannels > channels) {
      w = w.concat(m.zeros(new Shape(wideFilters, wideChannels - channels, ws.get(2), ws.get(3)),
          w.getDataType()), 1); // (F', C', k, k)
      x = x.concat(m.zeros(new Shape(xs.get(0), wideChannels - channels, xs.get(2), xs.get(3)),
          x.getDataType()), 1); // (B, C', H, W)
    }
    NDArray b = null;
    if (includeBias) {
      b = ps.getValue(bias, x.getDevice(), training);
      if (wideFilters > filters) {
        b = b.concat(m.zeros(new Shape(wideFilters - filters), b.getDataType()), 0); // (F')
      }
    }
    NDArray y = Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).head(); // (B, F', H', W')
    return new NDList(wideFilters > filters ? y.get(":, 0:" + filters) : y); // (B, F, H', W')
  }
}
