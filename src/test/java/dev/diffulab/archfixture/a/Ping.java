package dev.diffulab.archfixture.a;

/** A deliberate package cycle (with {@code b.Pong}): shows the cycle rule can fail. */
public final class Ping {
  public dev.diffulab.archfixture.b.Pong pong() {
    return new dev.diffulab.archfixture.b.Pong();
  }
}
