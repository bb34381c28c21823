package dev.diffulab.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run config being edited field by field. Every field holds the text a person typed; after each
 * change the whole draft is checked by the same parser that reads config files, and each problem
 * is pinned to the field it names, so an editor can mark the field at once rather than a run
 * failing later. Several fields can be wrong at the same time.
 */
public final class ConfigDraft {
  /** How a field is edited. */
  public enum Kind {
    TEXT, NUMBER, BOOLEAN, CHOICE
  }

  /**
   * One editable leaf of the config.
   *
   * @param key dotted path, as in error messages ({@code train.learning_rate})
   * @param section the top-level group ({@code "run"} for the top-level keys)
   * @param choices the allowed values of a {@link Kind#CHOICE} field, else empty
   */
  public record Field(String key, String section, Kind kind, List<String> choices,
      String description) {
    /** The key without its section: {@code learning_rate}. */
    public String name() {
      return key.substring(key.lastIndexOf('.') + 1);
    }
  }

  private static final Map<String, List<String>> CHOICES = Map.ofEntries(
      Map.entry("method", ConfigName.ids(Method.class)),
      Map.entry("device", ConfigName.ids(DeviceChoice.class)),
      Map.entry("data.order", ConfigName.ids(DataConfig.Order.class)),
      Map.entry("masking.ratio", ConfigName.ids(MaskingConfig.Ratio.class)),
      Map.entry("masking.weighting", ConfigName.ids(MaskingConfig.Weighting.class)),
      Map.entry("sampler.schedule", ConfigName.ids(MaskSchedule.class)),
      Map.entry("sampler.remasking", ConfigName.ids(SamplerConfig.Remasking.class)),
      Map.entry("sampler.sampling", ConfigName.ids(SamplerConfig.TokenChoice.class)),
      Map.entry("sampler.solver", ConfigName.ids(SamplerConfig.Solver.class)),
      Map.entry("sampler.confidence", ConfigName.ids(SamplerConfig.Confidence.class)),
      Map.entry("cdcd.warp_fit", ConfigName.ids(CdcdConfig.WarpFit.class)),
      Map.entry("autoencoder.noise_schedule", AutoencoderConfig.SCHEDULES),
      Map.entry("autoencoder.stage_schedules", AutoencoderConfig.STAGE_SCHEDULES));

  private final List<Field> fields = new ArrayList<>();
  private final Map<String, String> texts = new LinkedHashMap<>();
  private final Map<String, String> errors = new LinkedHashMap<>();
  private RunConfig config;

  private ConfigDraft(RunConfig base) {
    JsonObject root = JsonParser.parseString(base.toJson()).getAsJsonObject();
    for (Map.Entry<String, JsonElement> e : root.entrySet()) {
      if (e.getValue().isJsonObject()) {
        for (Map.Entry<String, JsonElement> c : e.getValue().getAsJsonObject().entrySet()) {
          addField(e.getKey() + "." + c.getKey(), e.getKey(), c.getValue().getAsJsonPrimitive());
        }
      } else {
        addField(e.getKey(), "run", e.getValue().getAsJsonPrimitive());
      }
    }
    check();
  }

  public static ConfigDraft of(RunConfig base) {
    return new ConfigDraft(base);
  }

  private void addField(String key, String section, JsonPrimitive value) {
    List<String> choices = CHOICES.getOrDefault(key, List.of());
    Kind kind = !choices.isEmpty()
        ? Kind.CHOICE
        : value.isBoolean()
            ? Kind.BOOLEAN
            : value.isNumber()
                ? Kind.NUMBER
                : Kind.TEXT;
    fields.add(
        new Field(key, section, kind, choices, ConfigReference.plain(ConfigReference.TEXT, key)));
    texts.put(key, text(value));
  }

  private static String text(JsonPrimitive p) {
    if (p.isNumber()) {
      BigDecimal d = p.getAsBigDecimal().stripTrailingZeros();
      return d.scale() <= 0 ? d.toBigInteger().toString() : d.toString();
    }
    return p.getAsString();
  }

  public List<Field> fields() {
    return Collections.unmodifiableList(fields);
  }

  public Field field(String key) {
    return fields.stream().filter(f -> f.key().equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no config key " + key));
  }

  public String text(String key) {
    field(key);
    return texts.get(key);
  }

  /** Sets a field to what a person typed and checks the whole draft again. */
  public void set(String key, String text) {
    field(key);
    texts.put(key, text == null ? "" : text);
    check();
  }

  /** Sets several fields at once (a model-size preset), checking once. */
  public void setAll(Map<String, String> values) {
    values.keySet().forEach(this::field);
    texts.putAll(values);
    check();
  }

  /** Replaces every field with {@code base}'s values. */
  public void load(RunConfig base) {
    ConfigDraft fresh = new ConfigDraft(base);
    texts.clear();
    texts.putAll(fresh.texts);
    check();
  }

  /** The problem with {@code key}'s value, or null when it is fine. */
  public String error(String key) {
    return errors.get(key);
  }

  /** Every field's problem, in field order; an empty map when the draft is a valid config. */
  public Map<String, String> errors() {
    Map<String, String> ordered = new LinkedHashMap<>();
    fields.forEach(f -> {
      if (errors.containsKey(f.key())) {
        ordered.put(f.key(), errors.get(f.key()));
      }
    });
    return ordered;
  }

  public boolean valid() {
    return config != null;
  }

  /** The config, when every field is valid. */
  public Optional<RunConfig> config() {
    return Optional.ofNullable(config);
  }

  /**
   * What the corpus statistics depend on: corpus, tokenizer, TinyTales story count and seed.
   *
   * @param data those, with the other data keys at their defaults
   */
  public record CorpusChoice(DataConfig data, long seed) {
  }

  /** The fields a {@link CorpusChoice} is made of; "seed" first, then the data keys. */
  public static final List<String> CORPUS_KEYS = List.of("seed", "data.corpus", "data.tokenizer",
      "data.tinytales_stories", "data.pairs", "data.task_examples");

  /** The corpus choice as it stands, when its fields are valid (others may not be). */
  public Optional<CorpusChoice> corpusChoice() {
    List<String> keys = CORPUS_KEYS;
    if (keys.stream().anyMatch(errors::containsKey)) {
      return Optional.empty();
    }
    JsonObject tree = tree();
    JsonObject only = new JsonObject();
    only.add("seed", tree.get("seed"));
    JsonObject data = new JsonObject();
    for (String k : keys.subList(1, keys.size())) {
      data.add(k.substring(5), tree.getAsJsonObject("data").get(k.substring(5)));
    }
    only.add("data", data);
    try {
      RunConfig c = RunConfig.parse(only.toString(), "the draft");
      return Optional.of(new CorpusChoice(c.data(), c.seed()));
    } catch (ConfigException e) {
      return Optional.empty();
    }
  }

  /** The config, or a {@link ConfigException} naming the first field at fault. */
  public RunConfig build() {
    if (config == null) {
      Map.Entry<String, String> first = errors().entrySet().iterator().next();
      throw ConfigException.at(first.getKey(), first.getValue());
    }
    return config;
  }

  /** The draft as a config file; only a valid draft can be written. */
  public String toJson() {
    return build().toJson();
  }

  private void check() {
    errors.clear();
    config = null;
    JsonObject tree = tree();
    for (int attempt = 0; attempt <= fields.size(); attempt++) {
      try {
        RunConfig parsed = RunConfig.parse(tree.toString(), "the draft");
        checkFile("data.corpus", parsed.data().corpus());
        checkFile("data.tokenizer", parsed.data().tokenizer());
        if (errors.isEmpty()) {
          config = parsed;
        }
        return;
      } catch (ConfigException e) {
        if (e.key() == null || errors.containsKey(e.key())) {
          // a problem not tied to one field, or one that dropping the field does not cure
          errors.putIfAbsent(e.key() == null ? fields.get(0).key() : e.key(), e.problem());
          return;
        }
        errors.put(e.key(), e.problem());
        // drop the field (its default takes its place) to find the next field at fault
        remove(tree, e.key());
      }
    }
  }

  private void checkFile(String key, String value) {
    if (DataConfig.DIGITS.equals(value) || dev.diffulab.core.pairs.Tasks.isTask(value)) {
      return; // built in, like TinyTales
    }
    if (!DataConfig.TINYTALES.equals(value) && !Files.isRegularFile(Path.of(value))) {
      errors.put(key, "no such file: " + value);
    }
  }

  private JsonObject tree() {
    JsonObject root = new JsonObject();
    for (Field f : fields) {
      JsonObject parent = root;
      if (!f.section().equals("run")) {
        if (!root.has(f.section())) {
          root.add(f.section(), new JsonObject());
        }
        parent = root.getAsJsonObject(f.section());
      }
      parent.add(f.name(), value(f, texts.get(f.key())));
    }
    return root;
  }

  /** The JSON value of a typed text; text of the wrong kind stays a string for the parser to name. */
  private static JsonPrimitive value(Field f, String text) {
    String t = text.strip();
    if (f.kind() == Kind.NUMBER) {
      try {
        return new JsonPrimitive(new BigDecimal(t));
      } catch (NumberFormatException e) {
        return new JsonPrimitive(t);
      }
    }
    if (f.kind() == Kind.BOOLEAN && (t.equals("true") || t.equals("false"))) {
      return new JsonPrimitive(Boolean.parseBoolean(t));
    }
    return new JsonPrimitive(f.kind() == Kind.TEXT ? text : t);
  }

  private static void remove(JsonObject tree, String key) {
    int dot = key.indexOf('.');
    if (dot < 0) {
      tree.remove(key);
    } else if (tree.has(key.substring(0, dot))) {
      tree.getAsJsonObject(key.substring(0, dot)).remove(key.substring(dot + 1));
    }
  }
}
