package dev.diffulab.core.config;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A complete, validated run configuration: the data of a run, saved inside every checkpoint. Parsed
 * once from JSON; an unknown key or an out-of-range value is a {@link ConfigException} that names
 * the key.
 */
public record RunConfig(
    String name,
    Method method,
    DeviceChoice device,
    long seed,
    ModelConfig model,
    DataConfig data,
    TrainConfig train,
    MaskingConfig masking,
    SamplerConfig sampler,
    CdcdConfig cdcd,
    AutoencoderConfig autoencoder) {

  public static RunConfig parse(String json, String source) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new ConfigException(source + " is not valid JSON: " + rootCause(e));
    }
    if (root == null || !root.isJsonObject()) {
      throw new ConfigException(source + " must hold one JSON object");
    }
    String twice = DuplicateKeys.first(json);
    if (twice != null) {
      throw new ConfigException(source + " gives \"" + twice + "\" twice; keep one");
    }
    try {
      return read(new JsonFields(root.getAsJsonObject(), ""));
    } catch (ConfigException e) {
      throw e.in(source);
    }
  }

  /**
   * A config file, or — when no such file exists and the name is that of a config shipped with
   * DiffuLab ({@code quick-test}, {@code demo}, {@code full}, their {@code -cdcd} twins) — the
   * shipped one, so an installed app needs no sample-configs folder.
   */
  public static RunConfig loadOrShipped(Path file) {
    if (!Files.exists(file) && file.getNameCount() == 1) {
      String name = file.toString().replaceFirst("\\.json$", "");
      if (name.matches("[a-z0-9-]+")) {
        try (var in = RunConfig.class.getResourceAsStream("/sample-configs/" + name + ".json")) {
          if (in != null) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                "shipped config " + name);
          }
        } catch (IOException e) {
          // fall through to the file's own message
        }
      }
    }
    return load(file);
  }

  public static RunConfig load(Path file) {
    String text;
    try {
      text = StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (CharacterCodingException e) {
      throw new ConfigException("config file " + file + " is not valid UTF-8");
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
    }
    if (text.isBlank()) {
      throw new ConfigException("config file " + file + " is empty");
    }
    return parse(text, "config file " + file);
  }

  private static RunConfig read(JsonFields f) {
    String name = f.string("name", "untitled");
    Method method = ConfigName.parse(Method.class, "method", f.string("method", "masked"));
    DeviceChoice device = ConfigName.parse(DeviceChoice.class, "device",
        f.string("device", "auto"));
    long seed = f.longValue("seed", 42);
    ModelConfig model = ModelConfig.read(f.child("model"));
    DataConfig data = DataConfig.read(f.child("data"));
    TrainConfig train = TrainConfig.read(f.child("train"));
    MaskingConfig masking = MaskingConfig.read(f.child("masking"));
    // classifier-free guidance is a sampler setting; configs and checkpoints written before
    // it moved keep it under "autoencoder"
    f.moveKey("autoencoder", "guidance", "sampler");
    SamplerConfig sampler = SamplerConfig.read(f.child("sampler"), model.seqLen());
    CdcdConfig cdcd = CdcdConfig.read(f.child("cdcd"));
    AutoencoderConfig autoencoder = AutoencoderConfig.read(f.child("autoencoder"));
    f.finish();
    if (masking.prefixTokens() >= model.seqLen()) {
      throw ConfigException.at(
          "masking.prefix_tokens", "must be below model.seq_len = " + model.seqLen());
    }
    RunConfig c = new RunConfig(name, method, device, seed, model, data, train, masking,
        sampler, cdcd, autoencoder);
    method.check(c);
    return c;
  }

  /**
   * Where the JSON broke, in our words ("at line 3, column 5: expected a ',' or '}'"): the JSON
   * library's message also carries advice for programmers (strictness settings, a URL) that means
   * nothing to a person editing a config.
   */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String msg = String.valueOf(t.getMessage());
    java.util.regex.Matcher at = java.util.regex.Pattern
        .compile("line (\\d+) column (\\d+)").matcher(msg);
    String where = at.find() ? "at line " + at.group(1) + ", column " + at.group(2) : "";
    String what = msg.contains("Expected") || msg.contains("expected")
        ? "unexpected text"
        : msg.contains("End of input") || msg.contains("EOF")
            ? "it ends too early"
            : msg.contains("Unterminated")
                ? "a string or bracket is not closed"
                : msg.contains("malformed") || msg.contains("Malformed")
                    ? "text after the end of the object, or a value JSON does not allow"
                    : "not JSON";
    return where.isEmpty() ? what : where + ": " + what;
  }

  public RunConfig withTrain(TrainConfig t) {
    return new RunConfig(name, method, device, seed, model, data, t, masking, sampler, cdcd,
        autoencoder);
  }

  public RunConfig withData(DataConfig d) {
    return new RunConfig(name, method, device, seed, model, d, train, masking, sampler, cdcd,
        autoencoder);
  }

  public RunConfig withDevice(DeviceChoice d) {
    return new RunConfig(name, method, d, seed, model, data, train, masking, sampler, cdcd,
        autoencoder);
  }

  public RunConfig withSampler(SamplerConfig s) {
    return new RunConfig(name, method, device, seed, model, data, train, masking, s, cdcd,
        autoencoder);
  }

  public RunConfig withMasking(MaskingConfig m) {
    return new RunConfig(name, method, device, seed, model, data, train, m, sampler, cdcd,
        autoencoder);
  }

  /**
   * The first key (dotted, in file order) whose value differs between this config and {@code
   * other}, ignoring the keys in {@code ignored}; empty when they agree.
   */
  public java.util.Optional<String> firstDifference(RunConfig other,
      java.util.Set<String> ignored) {
    JsonObject a = com.google.gson.JsonParser.parseString(toJson()).getAsJsonObject();
    JsonObject b = com.google.gson.JsonParser.parseString(other.toJson()).getAsJsonObject();
    return firstDifference("", a, b, ignored);
  }

  private static java.util.Optional<String> firstDifference(String prefix, JsonObject a,
      JsonObject b, java.util.Set<String> ignored) {
    for (String k : a.keySet()) {
      String key = prefix.isEmpty() ? k : prefix + "." + k;
      if (ignored.contains(key)) {
        continue;
      }
      var va = a.get(k);
      var vb = b.get(k);
      if (va != null && vb != null && va.isJsonObject() && vb.isJsonObject()) {
        var inner = firstDifference(key, va.getAsJsonObject(), vb.getAsJsonObject(), ignored);
        if (inner.isPresent()) {
          return inner;
        }
      } else if (!java.util.Objects.equals(va, vb)) {
        return java.util.Optional.of(key);
      }
    }
    return java.util.Optional.empty();
  }

  /** The config as the JSON a person would write; {@link #parse} reads it back to an equal record. */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("name", name);
    o.addProperty("method", method.id());
    o.addProperty("device", device.id());
    o.addProperty("seed", seed);
    JsonObject m = new JsonObject();
    m.addProperty("d_model", model.dModel());
    m.addProperty("layers", model.layers());
    m.addProperty("heads", model.heads());
    m.addProperty("ffn", model.ffn());
    m.addProperty("seq_len", model.seqLen());
    m.addProperty("tie_embeddings", model.tieEmbeddings());
    m.addProperty("end_positions", model.endPositions());
    o.add("model", m);
    JsonObject d = new JsonObject();
    d.addProperty("corpus", data.corpus());
    d.addProperty("tokenizer", data.tokenizer());
    d.addProperty("tinytales_stories", data.tinytalesStories());
    d.addProperty("validation_fraction", data.validationFraction());
    d.addProperty("packing", data.packing());
    d.addProperty("length_buckets", data.lengthBuckets());
    d.addProperty("length_groups", data.lengthGroups());
    d.addProperty("order", data.order().id());
    d.addProperty("pairs", data.pairs());
    d.addProperty("task_examples", data.taskExamples());
    o.add("data", d);
    JsonObject t = new JsonObject();
    t.addProperty("steps", train.steps());
    t.addProperty("batch_size", train.batchSize());
    t.addProperty("learning_rate", train.learningRate());
    t.addProperty("warmup_steps", train.warmupSteps());
    t.addProperty("weight_decay", train.weightDecay());
    t.addProperty("grad_clip", train.gradClip());
    t.addProperty("log_every", train.logEvery());
    t.addProperty("eval_every", train.evalEvery());
    t.addProperty("sample_every", train.sampleEvery());
    t.addProperty("checkpoint_every", train.checkpointEvery());
    t.addProperty("preview_samples", train.previewSamples());
    o.add("train", t);
    JsonObject k = new JsonObject();
    k.addProperty("ratio", masking.ratio().id());
    k.addProperty("epsilon", masking.epsilon());
    k.addProperty("weighting", masking.weighting().id());
    k.addProperty("prefix_tokens", masking.prefixTokens());
    k.addProperty("random_prefix", masking.randomPrefix());
    k.addProperty("scheduled_sampling", masking.scheduledSampling());
    o.add("masking", k);
    JsonObject s = sampler.toJson();
    o.add("sampler", s);
    JsonObject c = new JsonObject();
    c.addProperty("sigma_min", cdcd.sigmaMin());
    c.addProperty("sigma_max", cdcd.sigmaMax());
    c.addProperty("warp_fit", cdcd.warpFit().id());
    c.addProperty("refit_every", cdcd.refitEvery());
    c.addProperty("warp_window", cdcd.warpWindow());
    c.addProperty("self_conditioning", cdcd.selfConditioning());
    c.addProperty("embedding_dim", cdcd.embeddingDim());
    c.addProperty("embedding_lr_scale", cdcd.embeddingLrScale());
    c.addProperty("warp_uniform", cdcd.warpUniform());
    c.addProperty("given_fraction", cdcd.givenFraction());
    o.add("cdcd", c);
    JsonObject a = new JsonObject();
    a.addProperty("latents", autoencoder.latents());
    a.addProperty("latent_dim", autoencoder.latentDim());
    a.addProperty("latent_noise", autoencoder.latentNoise());
    a.addProperty("first_steps", autoencoder.firstSteps());
    a.addProperty("diffusion_steps", autoencoder.diffusionSteps());
    a.addProperty("noise_schedule", autoencoder.noiseSchedule());
    a.addProperty("condition_dropout", autoencoder.conditionDropout());
    a.addProperty("stage_schedules", autoencoder.stageSchedules());
    o.add("autoencoder", a);
    return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
  }
}
