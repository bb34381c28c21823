package dev.diffulab.core.pairs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The held-out split of a pair corpus, decided by the prompt alone: a seeded hash of the prompt's
 * text puts it in the held-out share or not, so every pair with the same prompt lands on the same
 * side — a question never trains the model that is tested on it — and the split does not depend
 * on the file's order.
 */
public final class PairSplit {
  /** The two sides. */
  public record Split(List<Pair> train, List<Pair> heldOut) {
  }

  private PairSplit() {
  }

  public static Split split(List<Pair> pairs, double heldOutShare, long seed) {
    if (!(heldOutShare >= 0 && heldOutShare < 1)) {
      throw new IllegalArgumentException("held-out share must be in [0, 1), not " + heldOutShare);
    }
    List<Pair> train = new ArrayList<>();
    List<Pair> held = new ArrayList<>();
    for (Pair p : pairs) {
      (heldOut(p.prompt(), heldOutShare, seed) ? held : train).add(p);
    }
    return new Split(List.copyOf(train), List.copyOf(held));
  }

  /** Whether {@code prompt} is held out at this share and seed. */
  public static boolean heldOut(String prompt, double share, long seed) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (byte b : prompt.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001B3L; // FNV-1a over a seeded start
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53 < share;
  }
}
