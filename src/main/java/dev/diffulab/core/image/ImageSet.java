package dev.diffulab.core.image;

import dev.diffulab.core.InputException;

/**
 * Labelled greyscale pictures of one size, as the image families train on them: {@code pixels}
 * holds each image row-major as bytes 0–255 (0 black, 255 white), {@code labels} its class
 * (0 … classes − 1), {@code classNames} what each class is called.
 */
public record ImageSet(int height, int width, byte[][] pixels, int[] labels,
    String[] classNames) {

  /** FashionMNIST's ten classes, in label order. */
  public static final String[] FASHION_CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress",
      "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

  public ImageSet {
    if (pixels.length != labels.length) {
      throw new IllegalArgumentException(pixels.length + " images but " + labels.length
          + " labels");
    }
    for (int label : labels) {
      if (label < 0 || label >= classNames.length) {
        throw new InputException("label " + label + " is outside the " + classNames.length
            + " classes");
      }
    }
  }

  public int size() {
    return labels.length;
  }

  public int classes() {
    return classNames.length;
  }

  /** Image {@code i} scaled to [−1, 1], as the diffusion models see it: (H·W). */
  public float[] signed(int i) {
    byte[] p = pixels[i];
    float[] out = new float[p.length];
    for (int k = 0; k < p.length; k++) {
      out[k] = (p[k] & 0xff) / 127.5f - 1f;
    }
    return out;
  }

  /** The first {@code n} images (all when fewer). */
  public ImageSet first(int n) {
    int k = Math.min(n, size());
    return new ImageSet(height, width, java.util.Arrays.copyOf(pixels, k),
        java.util.Arrays.copyOf(labels, k), classNames);
  }

  /** How many images each class has. */
  public int[] classCounts() {
    int[] counts = new int[classes()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }
}
