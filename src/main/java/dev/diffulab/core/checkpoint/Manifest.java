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
 *
 * <p>{@code trainSeconds} is the wall-clock time of all the training that led here (resumed
 * sessions add up), {@code hardware} what it ran on ("2-core CPU", a GPU's name), and
 * {@code evaluation} what {@code diffulab evaluate --record} measured on this checkpoint (valid
 * and distinct fractions of its samples, the held-out bound), with the sampler it used in
 * {@code evaluationSampler}. Checkpoints written before these keys existed read them as 0 / null
 * / empty.
 */
public record Manifest(int format, String method, String name, int step, int totalSteps,
    long seed, String dataHash, String corpus, String tokenizer, String diffulabVersion,
    String djlVersion, String engineVersion, String javaVersion, String device, String created,
    long parameters, int optimizerUpdates, int[] lengthHistogram, Map<String, Double> metrics,
    double trainSeconds, String hardware, Map<String, Double> evaluation,
    String evaluationSampler) {

  public static final int FORMAT = 1;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
      .serializeSpecialFloatingPointValues().create();

  public Manifest {
    metrics = metrics == null ? Map.of() : new LinkedHashMap<>(metrics);
    evaluation = evaluation == null ? Map.of() : new LinkedHashMap<>(evaluation);
  }

  /** This manifest with {@code evaluate}'s measurements recorded. */
  public Manifest withEvaluation(Map<String, Double> measured, String sampler) {
    return new Manifest(format, method, name, step, totalSteps, seed, dataHash, corpus, tokenizer,
        diffulabVersion, djlVersion, engineVersion, javaVersion, device, created, parameters,
        optimizerUpdates, lengthHistogram, metrics, trainSeconds, hardware, measured, sampler);
  }

  /** The share of valid samples {@code evaluate --record} measured, or NaN. */
  public double validFraction() {
    return evaluation.getOrDefault("valid_fraction", Double.NaN);
  }

  public String toJson() {
    return GSON.toJson(this) + "\n";
  }

  /** The first key whose value alone does not fit its field, or null (the JSON is broken). */
  private static String wrongKey(String json) {
    try {
      var o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
      for (String k : o.keySet()) {
        var one = new com.google.gson.JsonObject();
        one.add(k, o.get(k));
        try {
          GSON.fromJson(one, Manifest.class);
        } catch (RuntimeException e) {
          return k;
        }
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
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
      if (m.step() < 0 || m.totalSteps() < 0 || m.optimizerUpdates() < 0) {
        throw new InputException(source + ": \"step\", \"totalSteps\" and"
            + " \"optimizerUpdates\" must not be negative (step " + m.step() + ")");
      }
      for (int count : m.lengthHistogram()) {
        if (count < 0) {
          throw new InputException(source + ": \"lengthHistogram\" holds a negative count");
        }
      }
      if (m.lengthHistogram().length > 1_000_001) {
        throw new InputException(source + ": \"lengthHistogram\" is longer than any model");
      }
      if (m.parameters() < 0 || !(m.trainSeconds() >= 0) || Double.isInfinite(m.trainSeconds())) {
        throw new InputException(source + ": \"parameters\" and \"trainSeconds\" must be"
            + " finite and not negative");
      }
      return m;
    } catch (InputException e) {
      throw e;
    } catch (RuntimeException e) {
      // Gson reports a value of the wrong kind in several ways (JsonParseException,
      // NumberFormatException, IllegalStateException, IllegalArgumentException for a null
      // in an int array, …)
      String key = wrongKey(json);
      if (key != null) {
        throw new InputException(source + ": the value of \"" + key + "\" has the wrong type");
      }
      throw new InputException(source + " is not valid JSON");
    }
  }
}
