package dev.diffulab.core.config;

import java.util.Optional;

/**
 * Named sizes of the transformer backbone, so a person picks "small" rather than four numbers that
 * must agree (heads divide the width; the MLP is three to four times wider). {@code QUICK} and
 * {@code FULL} are the sizes of the shipped quick-test and full-run configs.
 */
public enum ModelSize {
  TINY("tiny", 64, 2, 2, 256), QUICK("quick", 128, 3, 4, 384), SMALL("small", 256, 6, 4,
      1024), FULL("full", 384, 8, 6, 1536);

  private final String label;
  private final int dModel;
  private final int layers;
  private final int heads;
  private final int ffn;

  ModelSize(String label, int dModel, int layers, int heads, int ffn) {
    this.label = label;
    this.dModel = dModel;
    this.layers = layers;
    this.heads = heads;
    this.ffn = ffn;
  }

  public int dModel() {
    return dModel;
  }

  public int layers() {
    return layers;
  }

  public int heads() {
    return heads;
  }

  public int ffn() {
    return ffn;
  }

  /** Weights in the transformer blocks (attention and MLP), without embeddings: 4d² + 2·d·ffn. */
  public long blockParameters() {
    return (long) layers * (4L * dModel * dModel + 2L * dModel * ffn);
  }

  /** The size these four numbers make, if they are one of the presets. */
  public static Optional<ModelSize> of(int dModel, int layers, int heads, int ffn) {
    for (ModelSize s : values()) {
      if (s.dModel == dModel && s.layers == layers && s.heads == heads && s.ffn == ffn) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return String.format("%s · %d × %d (%.1f M)", label, layers, dModel, blockParameters() / 1e6);
  }
}
