package dev.diffulab.core.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a checkpoint's model works on, told by the manifest it carries: {@code TOKENS} (masked
 * diffusion and CDCD: {@code manifest.json} beside a tokenizer) or {@code IMAGES} (Gaussian
 * diffusion: {@code image-manifest.json}, no tokenizer). The commands and the window use it to
 * send a checkpoint to the family that reads it, and to say so when it was given to the other.
 */
public enum Modality {
  TOKENS("manifest.json", "a text checkpoint (masked diffusion or CDCD)",
      "diffulab generate"), IMAGES("image-manifest.json",
          "an image checkpoint (Gaussian diffusion)",
          "diffulab images generate");

  private final String manifest;
  private final String what;
  private final String command;

  Modality(String manifest, String what, String command) {
    this.manifest = manifest;
    this.what = what;
    this.command = command;
  }

  /** The modality of the checkpoint folder {@code dir}, or null when it holds no manifest. */
  public static Modality of(Path dir) {
    for (Modality m : values()) {
      if (dir != null && Files.isRegularFile(dir.resolve(m.manifest))) {
        return m;
      }
    }
    return null;
  }

  /**
   * When {@code dir} is a checkpoint of another modality than {@code wanted}: one sentence
   * saying what it is and which command reads it; null otherwise.
   */
  public static String mismatch(Path dir, Modality wanted) {
    Modality m = of(dir);
    if (m == null || m == wanted) {
      return null;
    }
    return "checkpoint " + dir + " is " + m.what + ", not " + wanted.what + "; "
        + m.command + " (and the " + (m == IMAGES ? "image" : "text") + " family in the window)"
        + " reads it";
  }
}
