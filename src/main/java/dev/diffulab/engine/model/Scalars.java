package dev.diffulab.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic between an array and a number that is safe under autograd — the only way the engine
 * writes {@code x * 0.5}.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code pow}, {@code maximum}, …) wraps
 * the number in an array whose memory is a Java direct buffer ({@code torch::from_blob}: libtorch
 * does not own it) and closes that array as soon as the call returns. libtorch's autograd graph
 * keeps the tensor to compute the backward pass ({@code d(x·c)/dx = c}); once the garbage
 * collector frees the buffer, the backward pass reads freed memory, and every gradient upstream
 * of that operation can turn NaN while the loss stays finite. Whether it happens depends on when
 * the collector runs, so it came and went between runs with the same seed.
 *
 * <p>Here the number becomes a tensor in libtorch's own memory (a clone of the wrapped buffer, of
 * the same data type DJL would have chosen, so results are bit for bit those of the plain call),
 * which the graph keeps alive as long as it needs it. {@code ArchitectureTest} forbids the
 * number-taking DJL calls everywhere else in the engine.
 */
public final class Scalars {
  private Scalars() {
  }

  /** {@code x * n}. */
  public static NDArray mul(NDArray x, Number n) {
    try (NDArray c = constant(x, n)) {
      return x.mul(c);
    }
  }

  /** {@code x / n}. */
  public static NDArray div(NDArray x, Number n) {
    try (NDArray c = constant(x, n)) {
      return x.div(c);
    }
  }

  /** {@code x + n}. */
  public static NDArray add(NDArray x, Number n) {
    try (NDArray c = constant(x, n)) {
      return x.add(c);
    }
  }

  /** {@code x - n}. */
  public static NDArray sub(NDArray x, Number n) {
    try (NDArray c = constant(x, n)) {
      return x.sub(c);
    }
  }

  /** {@code n - x}. */
  public static NDArray rsub(Number n, NDArray x) {
    try (NDArray c = constant(x, n)) {
      return c.sub(x);
    }
  }

  /** {@code n / x}. */
  public static NDArray rdiv(Number n, NDArray x) {
    try (NDArray c = constant(x, n)) {
      return c.div(x);
    }
  }

  /** {@code x ^ n}. */
  public static NDArray pow(NDArray x, Number n) {
    try (NDArray c = constant(x, n)) {
      return x.pow(c);
    }
  }

  /** {@code max(x, n)} element-wise. */
  public static NDArray maximum(NDArray x, Number n) {
    try (NDArray c = constant(x, n)) {
      return x.maximum(c);
    }
  }

  /** {@code min(x, n)} element-wise. */
  public static NDArray minimum(NDArray x, Number n) {
    try (NDArray c = constant(x, n)) {
      return x.minimum(c);
    }
  }

  /** {@code x *= n} in place (outside a graph: the optimizer's moments). */
  public static NDArray muli(NDArray x, Number n) {
    try (NDArray c = constant(x, n)) {
      return x.muli(c);
    }
  }

  /** The number as a 0-d tensor in libtorch's memory, in x's manager. */
  private static NDArray constant(NDArray x, Number n) {
    try (NDArray wrapped = x.getManager().create(n)) {
      return wrapped.duplicate();
    }
  }
}
