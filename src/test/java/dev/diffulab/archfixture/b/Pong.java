package dev.diffulab.archfixture.b;

/**
 * The other half of the deliberate cycle; it also reaches for DJL, which only engine may, and
 * multiplies an array by a number, which only {@code Scalars} may, and calls DJL's swish, which
 * does so inside.
 */
public final class Pong {
  public dev.diffulab.archfixture.a.Ping ping() {
    return new dev.diffulab.archfixture.a.Ping();
  }

  public Object device() {
    return ai.djl.Device.cpu();
  }

  public ai.djl.ndarray.NDArray half(ai.djl.ndarray.NDArray x) {
    return x.mul(0.5f);
  }

  public ai.djl.ndarray.NDArray silu(ai.djl.ndarray.NDArray x) {
    return ai.djl.nn.Activation.swish(x, 1f);
  }
}
