package dev.diffulab.core.checkpoint;

/**
 * What a family keeps beside a model's parameters and needs to sample from it (CDCD: its fitted
 * time warp). Neutral code carries it without looking inside; only the family that wrote it
 * reads it. {@link #NONE} for a family that keeps nothing more.
 */
public interface ModelExtras {
  /** Nothing beside the parameters. */
  ModelExtras NONE = new ModelExtras() {
    @Override
    public String toString() {
      return "no extras";
    }
  };
}
