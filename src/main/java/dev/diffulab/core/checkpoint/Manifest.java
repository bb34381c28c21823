package dev.diffulab.core.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.diffulab.core.InputException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The provenance of a checkpoint ({@code manifest.json}): which run, at which step, from which
 * data (a content hash), with which seed, versions and device, and what it measured. Also the
 * training stories' length histogram, from which samplers draw canvas lengths
 * ({@link dev.diffulab.core.data.StoryLengths}).
 */
public record Manifest(int format, String method, String name, int step, int totalSteps,
    long seed, String dataHash, String corpus, String tokenizer, String diffulabVersion,
    String djlVersion, String engineVersion, String javaVersion, String device, String created,
    long parameters, int optimizerUpdates, int[] lengthHistogram, Map<String, Double> metrics) {

  public static final int FORMAT = 1;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
      .serializeSpecialFloatingPointValues().create();

  public Manifest {
    metrics = metrics == null ? Map.of() : new LinkedHashMap<>(metrics);
  }

  public String toJson() {
    return GSON.toJson(this) + "\n";
  }

  public static Manifest parse(String json, String source) {
    try {
      Manifest m = GSON.fromJson(json, Manifest.class);
      if (m == null || m.method() == null || m.lengthHistogram() == null) {
        throw new InputException(source + " is not a DiffuLab manifest");
      }
      if (m.format() != FORMAT) {
        throw new InputException(source + " has format " + m.format() + "; this DiffuLab reads "
            + FORMAT);
      }
      return m;
    } catch (JsonParseException e) {
      throw new InputException(source + " is not valid JSON");
    }
  }
}
