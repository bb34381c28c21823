package dev.diffulab.core.image;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.diffulab.core.InputException;

/**
 * What a trained image classifier is ({@code classifier.json} beside its parameters): the
 * picture size and classes it reads, the recipe that trained it, and what it measured on the
 * test split — accuracy, and the share of real test pictures it is at least 90 % sure of (the
 * floor that samples' recognisable fraction is compared with).
 */
public record ClassifierManifest(int format, int height, int width, String[] classNames,
    int epochs, int batchSize, double learningRate, double weightDecay, long seed,
    int trainImages, double testAccuracy, double recognisableReal, double trainSeconds,
    String hardware, String created) {
  public static final int FORMAT = 1;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public String toJson() {
    return GSON.toJson(this) + "\n";
  }

  public static ClassifierManifest parse(String json, String source) {
    ClassifierManifest m;
    try {
      m = GSON.fromJson(json, ClassifierManifest.class);
    } catch (RuntimeException e) {
      throw new InputException(source + " is not a classifier manifest (" + e.getMessage()
          + ")");
    }
    if (m == null || m.classNames() == null || m.height() <= 0 || m.width() <= 0) {
      throw new InputException(source + " is not a classifier manifest");
    }
    if (m.format() != FORMAT) {
      throw new InputException(source + " has format " + m.format() + "; this DiffuLab reads "
          + FORMAT);
    }
    return m;
  }
}
