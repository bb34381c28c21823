package dev.diffulab.core.gaussian;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.annotations.SerializedName;
import dev.diffulab.core.InputException;
import dev.diffulab.core.config.SamplerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Gaussian image-diffusion run (DDPM, Ho et al. 2020; DDIM sampling, Song et al. 2021;
 * classifier-free guidance, Ho &amp; Salimans 2022), as plain data validated once: the model
 * (a small U-Net), the forward process, the objective, training and the default sampler.
 * Saved inside every image checkpoint.
 */
public record GaussianConfig(String name, long seed, Model model, Diffusion diffusion,
    Train train, Sampler sampler, Data data) {

  /**
   * The network: {@code backbone} {@code unet} (channels at full resolution, twice that at the
   * two lower ones; with {@code attention} a transformer block over the positions of the lowest
   * resolution) or {@code dit}, a patch transformer (Peebles &amp; Xie 2023) of {@code layers}
   * blocks of width {@code channels} with {@code heads} heads over patches of {@code patch}² pixels.
   */
  public record Model(int channels, @SerializedName("class_conditional") boolean classConditional,
      @SerializedName("label_dropout") double labelDropout, String backbone, Integer patch,
      Integer layers, Integer heads, Boolean attention) {
    public Model {
      if (attention == null) {
        attention = false;
      }
      if (backbone == null) {
        backbone = "unet";
      }
      if (patch == null) {
        patch = 4;
      }
      if (layers == null) {
        layers = 4;
      }
      if (heads == null) {
        heads = 4;
      }
    }

    public Model(int channels, boolean classConditional, double labelDropout) {
      this(channels, classConditional, labelDropout, null, null, null, null, null);
    }

    public Model(int channels, boolean classConditional, double labelDropout, String backbone,
        Integer patch, Integer layers, Integer heads) {
      this(channels, classConditional, labelDropout, backbone, patch, layers, heads, null);
    }

    /** Whether the backbone is the patch transformer. */
    public boolean transformer() {
      return "dit".equals(backbone);
    }
  }

  /** The forward process and what the network predicts. */
  public record Diffusion(int steps, String schedule, String prediction, String loss) {
  }

  /**
   * Optimisation: {@code ema} is the decay of the exponential moving average of the weights
   * that sampling uses (0: sample with the trained weights themselves); {@code
   * checkpoint_every} writes the checkpoint every that many steps (0: at the end only).
   */
  public record Train(int steps, @SerializedName("batch_size") int batchSize,
      @SerializedName("learning_rate") double learningRate,
      @SerializedName("warmup_steps") int warmupSteps,
      @SerializedName("log_every") int logEvery, Double ema,
      @SerializedName("checkpoint_every") Integer checkpointEvery) {
    public Train {
      if (ema == null) {
        ema = DEFAULT_EMA;
      }
      if (checkpointEvery == null) {
        checkpointEvery = 0;
      }
    }

    public Train(int steps, int batchSize, double learningRate, int warmupSteps, int logEvery) {
      this(steps, batchSize, learningRate, warmupSteps, logEvery, null, null);
    }
  }

  /** The weight average's decay when a config does not say. */
  public static final double DEFAULT_EMA = 0.999;

  /**
   * DDIM with {@code steps} steps and noise η (1 with every step: DDPM), guidance weight w,
   * applied only at the steps whose t/T lies in {@code guidance_interval} = [from, to] (null: at
   * every step). Guidance in a limited interval (Kynkäänniemi et al. 2024): where it is off a
   * step runs the conditional model alone, one network pass instead of two.
   */
  public record Sampler(int steps, double eta, double guidance,
      @SerializedName("num_samples") int numSamples,
      @SerializedName("guidance_interval") java.util.List<Double> guidanceInterval) {
    public Sampler {
      if (guidanceInterval != null) {
        guidanceInterval = java.util.Collections.unmodifiableList(
            new java.util.ArrayList<>(guidanceInterval));
      }
    }

    public Sampler(int steps, double eta, double guidance, int numSamples) {
      this(steps, eta, guidance, numSamples, null);
    }

    /** This sampler with {@code n} steps. */
    public Sampler withSteps(int n) {
      return new Sampler(n, eta, guidance, numSamples, guidanceInterval);
    }

    /** Where guidance starts to apply, as t/T (0: from the clean end). */
    public double guidanceFrom() {
      return guidanceInterval == null ? 0 : guidanceInterval.get(0);
    }

    /** Where guidance stops applying, as t/T (1: from pure noise). */
    public double guidanceTo() {
      return guidanceInterval == null ? 1 : guidanceInterval.get(1);
    }

    /** Whether guidance is limited to part of the steps. */
    public boolean guidanceLimited() {
      return guidanceFrom() > 0 || guidanceTo() < 1;
    }
  }

  /**
   * Checks a guidance interval given under {@code key}: two fractions of the forward process,
   * 0 ≤ from &lt; to ≤ 1.
   */
  public static void checkGuidanceInterval(String key, java.util.List<Double> interval) {
    if (interval == null) {
      return;
    }
    if (interval.size() != 2 || interval.get(0) == null || interval.get(1) == null) {
      throw new InputException(key + " must be two numbers [from, to], got " + interval);
    }
    double from = interval.get(0);
    double to = interval.get(1);
    if (!(from >= 0 && from < to && to <= 1)) {
      throw new InputException(key + " must be [from, to] with 0 <= from < to <= 1 (fractions"
          + " of the forward process), not [" + from + ", " + to + "]");
    }
  }

  /** Where the pictures come from: FashionMNIST IDX files or a folder of class folders. */
  public record Data(String source, String path, int limit) {
  }

  /** What the network is trained to output. */
  public enum Prediction {
    EPSILON, X0, V
  }

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public GaussianConfig {
    if (name == null || name.isBlank()) {
      name = "images";
    }
    require(model != null, "model");
    require(diffusion != null, "diffusion");
    require(train != null, "train");
    require(sampler != null, "sampler");
    if (data == null) {
      data = new Data("fashion-mnist", null, 0);
    }
    range("model.channels", model.channels(), 4, 256);
    if (model.channels() % 4 != 0) {
      throw new InputException("model.channels must be a multiple of 4 (group norm), not "
          + model.channels());
    }
    if (!"unet".equals(model.backbone()) && !"dit".equals(model.backbone())) {
      throw new InputException("model.backbone must be unet or dit, not '" + model.backbone()
          + "'");
    }
    range("model.patch", model.patch(), 1, 64);
    range("model.layers", model.layers(), 1, 64);
    range("model.heads", model.heads(), 1, 64);
    if (model.transformer() && model.channels() % model.heads() != 0) {
      throw new InputException("model.channels (" + model.channels() + ") must be a multiple of"
          + " model.heads (" + model.heads() + ") for the dit backbone");
    }
    if (!(model.labelDropout() >= 0 && model.labelDropout() < 1)) {
      throw new InputException("model.label_dropout must be in [0, 1), not "
          + model.labelDropout());
    }
    range("diffusion.steps", diffusion.steps(), 2, 10_000);
    try {
      NoiseSchedule.Kind.parse(diffusion.schedule(), "diffusion.schedule");
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    prediction(diffusion.prediction());
    if (!"mse".equals(diffusion.loss()) && !"huber".equals(diffusion.loss())) {
      throw new InputException("diffusion.loss must be mse or huber, not '" + diffusion.loss()
          + "'");
    }
    range("train.steps", train.steps(), 1, 10_000_000);
    range("train.batch_size", train.batchSize(), 1, 4096);
    if (!(train.learningRate() > 0 && train.learningRate() < 1)) {
      throw new InputException("train.learning_rate must be in (0, 1), not "
          + train.learningRate());
    }
    range("train.warmup_steps", train.warmupSteps(), 0, 10_000_000);
    range("train.log_every", train.logEvery(), 1, 1_000_000);
    if (!(train.ema() >= 0 && train.ema() < 1)) {
      throw new InputException("train.ema must be in [0, 1), not " + train.ema());
    }
    range("train.checkpoint_every", train.checkpointEvery(), 0, 10_000_000);
    range("sampler.steps", sampler.steps(), 1, 10_000);
    range("sampler.num_samples", sampler.numSamples(), 1, 4096);
    SamplerConfig.ETA.check("sampler.eta", sampler.eta());
    SamplerConfig.GUIDANCE.check("sampler.guidance", sampler.guidance());
    checkGuidanceInterval("sampler.guidance_interval", sampler.guidanceInterval());
    if (!"fashion-mnist".equals(data.source()) && !"folder".equals(data.source())) {
      throw new InputException("data.source must be fashion-mnist or folder, not '"
          + data.source() + "'");
    }
    if ("folder".equals(data.source()) && (data.path() == null || data.path().isBlank())) {
      throw new InputException("data.path must name the image folder when data.source is"
          + " folder");
    }
    range("data.limit", data.limit(), 0, Integer.MAX_VALUE);
  }

  private static void require(boolean present, String key) {
    if (!present) {
      throw new InputException("the config has no \"" + key + "\" section");
    }
  }

  private static void range(String key, long v, long lo, long hi) {
    if (v < lo || v > hi) {
      throw new InputException(key + " must be between " + lo + " and " + hi + ", not " + v);
    }
  }

  /** The prediction named in a config. */
  public static Prediction prediction(String s) {
    return switch (s == null ? "" : s) {
      case "epsilon", "eps" -> Prediction.EPSILON;
      case "x0" -> Prediction.X0;
      case "v" -> Prediction.V;
      default -> throw new InputException("diffusion.prediction must be epsilon, x0 or v, not '"
          + s + "'");
    };
  }

  public Prediction prediction() {
    return prediction(diffusion.prediction());
  }

  public NoiseSchedule schedule() {
    return NoiseSchedule.of(NoiseSchedule.Kind.parse(diffusion.schedule(), "diffusion.schedule"),
        diffusion.steps());
  }

  public String toJson() {
    return GSON.toJson(this) + "\n";
  }

  public GaussianConfig withSteps(int steps) {
    return new GaussianConfig(name, seed, model, diffusion, new Train(steps, train.batchSize(),
        train.learningRate(), train.warmupSteps(), train.logEvery(), train.ema(),
        train.checkpointEvery()), sampler, data);
  }

  /** The same recipe on other pictures, under another name. */
  public GaussianConfig withData(String newName, Data d) {
    return new GaussianConfig(newName, seed, model, diffusion, train, sampler, d);
  }

  public GaussianConfig withSampler(Sampler s) {
    return new GaussianConfig(name, seed, model, diffusion, train, s, data);
  }

  public static GaussianConfig parse(String json, String source) {
    String twice = dev.diffulab.core.config.DuplicateKeys.first(json);
    if (twice != null) {
      throw new InputException(source + " gives \"" + twice + "\" twice; keep one");
    }
    try {
      GaussianConfig c = GSON.fromJson(json, GaussianConfig.class);
      if (c == null) {
        throw new InputException(source + " is empty");
      }
      return c;
    } catch (InputException e) {
      throw new InputException(source + ": " + e.getMessage());
    } catch (RuntimeException e) {
      // a record's constructor that refused a value arrives wrapped by the JSON reader
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof InputException ie) {
          throw new InputException(source + ": " + ie.getMessage());
        }
      }
      throw new InputException(source + " is not valid JSON for an image config ("
          + e.getMessage() + ")");
    }
  }

  /** A config file, or the name of a shipped one ({@code quick-test-images}). */
  public static GaussianConfig loadOrShipped(Path file) {
    if (Files.exists(file)) {
      return load(file);
    }
    String name = file.toString();
    if (name.matches("[a-z0-9-]+")) {
      try (var in = GaussianConfig.class.getResourceAsStream("/sample-configs/" + name
          + ".json")) {
        if (in != null) {
          return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
              "sample-configs/" + name + ".json");
        }
      } catch (IOException e) {
        throw new InputException("shipped config " + name + " cannot be read");
      }
    }
    throw new InputException("config " + file + " does not exist (nor is it a shipped image"
        + " config: quick-test-images, quick-test-dit-images, demo-images)");
  }

  public static GaussianConfig load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new InputException("config " + file + " cannot be read (" + e.getMessage() + ")");
    }
  }
}
