package dev.diffulab.archfixture.b;

/** The other half of the deliberate cycle; it also reaches for DJL, which only engine may. */
public final class Pong {
  public dev.diffulab.archfixture.a.Ping ping() {
    return new dev.diffulab.archfixture.a.Ping();
  }

  public Object device() {
    return ai.djl.Device.cpu();
  }
}
