package dev.diffulab.core.gaussian;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.diffulab.core.InputException;

/**
 * The provenance of an image checkpoint ({@code image-manifest.json}): which run, at which step,
 * on which pictures (their size and classes), with which seed, how long it trained and on what,
 * and the loss it ended at. {@code modality} is {@code images}. {@code optimizerUpdates} (absent
 * in checkpoints without training state) is what a resumed run's optimiser starts from.
 */
public record ImageManifest(int format, String modality, String name, int step, int totalSteps,
    long seed, int height, int width, String[] classNames, String data, long parameters,
    double trainSeconds, String hardware, String created, String diffulabVersion,
    double finalLoss, Integer optimizerUpdates) {
  public static final int FORMAT = 1;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
      .serializeSpecialFloatingPointValues().create();

  public String toJson() {
    return GSON.toJson(this) + "\n";
  }

  public static ImageManifest parse(String json, String source) {
    ImageManifest m;
    try {
      m = GSON.fromJson(json, ImageManifest.class);
    } catch (RuntimeException e) {
      throw new InputException(source + " is not an image manifest (" + e.getMessage() + ")");
    }
    if (m == null || !"images".equals(m.modality()) || m.classNames() == null) {
      throw new InputException(source + " is not a DiffuLab image manifest");
    }
    if (m.format() != FORMAT) {
      throw new InputException(source + " has format " + m.format() + "; this DiffuLab reads "
          + FORMAT);
    }
    if (m.height() <= 0 || m.width() <= 0 || m.step() < 0) {
      throw new InputException(source + ": height, width and step must be positive");
    }
    return m;
  }
}
