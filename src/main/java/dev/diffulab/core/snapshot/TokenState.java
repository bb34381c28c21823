package dev.diffulab.core.snapshot;

/** What happened to one position at one denoising step. */
public enum TokenState {
  /** Part of the prompt: never masked. */
  GIVEN,
  /** Still masked after this step. */
  MASKED,
  /** Revealed at this step. */
  REVEALED,
  /** Revealed earlier and carried over. */
  KEPT,
  /** Revealed earlier and masked again by the remasking rule. */
  REMASKED,
  /** CDCD: the argmax token changed at this step. */
  CHANGED
}
