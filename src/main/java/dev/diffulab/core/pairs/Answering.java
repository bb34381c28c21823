package dev.diffulab.core.pairs;

/**
 * How a model that answers is asked: {@code votes} samples a prompt with the majority answer kept
 * (self-consistency; 1 is a single sample), and in one pass or thought by thought
 * ({@code multiPass}, Diffusion of Thought's multi-pass).
 */
public record Answering(int votes, boolean multiPass) {
  /** One sample, one pass. */
  public static final Answering SINGLE = new Answering(1, false);

  public Answering {
    if (votes < 1 || votes > 64) {
      throw new IllegalArgumentException("self-consistency votes must be 1–64, not " + votes);
    }
  }
}
