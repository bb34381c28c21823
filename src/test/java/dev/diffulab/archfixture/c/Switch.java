package dev.diffulab.archfixture.c;

import dev.diffulab.core.config.Method;

/** Asks which family it holds, which only the family's own code may. */
public final class Switch {
  public String name(Method m) {
    return m == Method.CDCD ? "CDCD" : "masked";
  }

  public int cost(Method m) {
    return switch (m) {
      case MASKED -> 1;
      case CDCD -> 2;
      case AUTOREGRESSIVE -> 3;
      case AUTOENCODER -> 4;
      case LATENT -> 5;
    };
  }
}
