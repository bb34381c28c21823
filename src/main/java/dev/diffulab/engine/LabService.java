package dev.diffulab.engine;

import dev.diffulab.core.InputException;
import dev.diffulab.core.checkpoint.CheckpointInfo;
import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.core.config.DataConfig;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.core.metrics.CorpusStats;
import dev.diffulab.core.snapshot.BenchReport;
import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.EngineStatus;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.core.snapshot.ModelSnapshot;
import dev.diffulab.core.snapshot.RunResult;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.core.snapshot.StepCost;
import dev.diffulab.core.snapshot.TokenizedText;
import dev.diffulab.core.snapshot.TrainingModel;
import dev.diffulab.engine.bench.Bench;
import dev.diffulab.engine.checkpoint.Checkpoint;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.method.LoadedModel;
import dev.diffulab.engine.text.TextTokenizer;
import dev.diffulab.engine.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * What the window and the command line ask of the engine, as plain requests answered with
 * immutable snapshots: open and compare models, read a corpus, tokenise a text, predict the blanks
 * of a masked text, generate, train (or resume), measure a step, evaluate, sample, export and
 * read a checkpoint, benchmark the device, pause, cancel. Every request runs on the engine thread (the
 * one owner of every DJL object); the caller gets a future and never touches an engine object,
 * so the thread rule is kept by the types, not by discipline. Requests with a key (tokenising,
 * predicting, reading a corpus) are coalesced: of several made before the engine gets to them,
 * only the newest runs and the older ones are cancelled ({@link NewestOnly}).
 */
public final class LabService implements AutoCloseable {
  private final DiffusionEngine engine;
  private final Workbench workbench = new Workbench();
  private final dev.diffulab.engine.gaussian.ImageModels imageModels = new dev.diffulab.engine.gaussian.ImageModels();
  private final NewestOnly newest;

  /** @param sink where the engine's snapshots (status, progress, curves, models) go */
  public LabService(DeviceChoice device, java.util.function.Consumer<Snapshot> sink) {
    this.engine = new DiffusionEngine(device, sink);
    this.newest = new NewestOnly(engine);
  }

  public LabService start() {
    engine.start();
    return this;
  }

  public EngineStatus status() {
    return engine.status();
  }

  /** Opens a checkpoint (or a shipped demo's folder) as the Masking and Denoise model. */
  public CompletableFuture<ModelSnapshot> openCheckpoint(String what, Path dir) {
    return engine.submit(what, ctx -> {
      ModelSnapshot s = workbench.useCheckpoint(dir, ctx.manager());
      ctx.publish(s);
      return s;
    });
  }

  /** Opens a second model for the Denoise comparison; answers its one-line label. */
  public CompletableFuture<String> openCompare(Path dir) {
    return engine.submit("Opening comparison checkpoint",
        ctx -> workbench.useCompareCheckpoint(dir, ctx.manager()));
  }

  /** Whether Masking and Denoise use the training run's model while one runs. */
  public void followTraining(boolean follow) {
    workbench.followTraining(follow);
  }

  /** Reads the corpus and tokenizer a config's data section names; publishes the statistics. */
  public CompletableFuture<CorpusSnapshot> useData(DataConfig data, long seed) {
    return newest.submit("data", "Reading corpus", ctx -> {
      CorpusSnapshot s = workbench.useData(data, seed);
      ctx.publish(s);
      return s;
    });
  }

  /** Tokenises a text with the tokenizer of the model in use (or the open corpus's). */
  public CompletableFuture<TokenizedText> tokenize(long requestId, String text) {
    return newest.submit("tokenize", "Tokenizing", ctx -> {
      TextTokenizer tok = workbench.active() != null
          ? workbench.active().tokenizer()
          : workbench.tokenizer();
      LoadedModel lm = workbench.active();
      int given = 0;
      int[] ids;
      int arrow = text.indexOf(TokenizedText.ARROW.strip());
      if (lm != null && lm.answers() && arrow >= 0) {
        // a pair as its row: the prompt and its separator given, the response to noise
        int[] prompt = tok.encode(text.substring(0, arrow));
        int[] response = tok.encode(text.substring(arrow + 1));
        ids = dev.diffulab.core.pairs.PairTokens.row(prompt, response, tok.sepId(), 0);
        given = prompt.length + 1;
      } else {
        ids = tok.encode(text);
      }
      List<String> strings = new ArrayList<>();
      boolean[] continues = new boolean[ids.length];
      for (int i = 0; i < ids.length; i++) {
        String s = tok.token(ids[i]);
        continues[i] = s.startsWith("##");
        strings.add(continues[i] ? s.substring(2) : s);
      }
      return new TokenizedText(requestId, text, strings, ids, continues, given);
    });
  }

  /** What the model in use would put in each blank; null when no model is open. */
  public CompletableFuture<MaskPrediction> predictMasks(MaskRequest request) {
    return newest.submit("predict", "Predicting masked tokens", ctx -> {
      LoadedModel lm = workbench.active();
      if (lm == null) {
        return null;
      }
      int vocab = lm.tokenizer().vocabSize();
      if (java.util.Arrays.stream(request.ids()).anyMatch(id -> id < 0 || id >= vocab)) {
        // read by another model's tokenizer just before this one took over: the view reads
        // the text again and asks anew
        return null;
      }
      return lm.method().predict(lm, request);
    });
  }

  /**
   * A Denoise request: sampler A (and B, or null) from one seed, with an optional prompt and a
   * fixed length (0: drawn from the training stories); B may use the comparison model.
   */
  public record Generation(SamplerConfig a, SamplerConfig b, boolean bUsesOtherModel,
      String prefix, int length, long seed, boolean multiPass) {
    public Generation(SamplerConfig a, SamplerConfig b, boolean bUsesOtherModel, String prefix,
        int length, long seed) {
      this(a, b, bUsesOtherModel, prefix, length, seed, false);
    }
  }

  /** The recorded runs of a generation: A's samples and B's (empty without B). */
  public record Generated(List<DenoiseTrace> a, List<DenoiseTrace> b) {
  }

  /**
   * Generates; during a training run the two take turns step by step (the model being trained is
   * sampled at its current step, and neither waits for the other longer than one step);
   * {@code progress} hears (step, steps) after every denoising step of A; {@code cancel} stops
   * it at the next step.
   */
  public CompletableFuture<Generated> generate(Generation g, BooleanSupplier cancel,
      BiConsumer<Integer, Integer> progress) {
    return engine.submitStepwise("Generating", cancel, (ctx, yieldStep) -> {
      BiConsumer<Integer, Integer> stepA = (k, total) -> {
        progress.accept(k, total);
        yieldStep.run();
      };
      BiConsumer<Integer, Integer> stepB = (k, total) -> yieldStep.run();
      LoadedModel lm = workbench.active();
      if (lm == null) {
        throw new InputException("no model is open");
      }
      int[] prompt = prompt(lm, g.prefix());
      int[] lengths = lm.drawLengths(g.a().numSamples(), g.length(), prompt.length, g.seed());
      List<DenoiseTrace> a = g.multiPass() && lm.answers()
          ? lm.readable(dev.diffulab.engine.method.DiffusionOfThought.answer(lm, g.a(),
              java.util.Collections.nCopies(lengths.length, prompt), lengths[0], g.seed(), ctx,
              true))
          : lm.sample(g.a(), lengths, prompt, g.seed(), ctx, stepA);
      LoadedModel other = g.bUsesOtherModel() ? workbench.compareModel() : null;
      if (g.bUsesOtherModel() && other == null) {
        throw new InputException("open a second checkpoint to compare with"
            + " (Compare with → Other model…)");
      }
      LoadedModel bModel = other != null ? other : lm;
      int[] bPrompt = other == null ? prompt : prompt(other, g.prefix());
      // a model that answers fills its own answer canvas; otherwise A's lengths, as they fit
      int[] bLengths = other != null && other.answers()
          ? other.drawLengths(lengths.length, g.length(), bPrompt.length, g.seed())
          : Arrays.stream(lengths).map(n -> Math.min(n, bModel.config().model().seqLen()))
              .toArray();
      List<DenoiseTrace> b = g.b() == null
          ? List.of()
          : bModel.sample(g.b(), bLengths, bPrompt, g.seed(), ctx, stepB);
      return new Generated(a, b);
    });
  }

  /** The token ids of a prompt; none for a missing or blank one. */
  static int[] prompt(LoadedModel lm, String prefix) {
    return lm.prompt(prefix);
  }

  /**
   * Trains {@code config} into {@code out}; while it runs, its model is lent to Masking and
   * Denoise (published as a {@link TrainingModel}). Stop it with {@link #cancel}: it keeps a
   * checkpoint and answers a stopped result.
   */
  public CompletableFuture<RunResult> train(String runId, RunConfig config, Path out) {
    return engine.submit("Training " + config.name(), ctx -> new TrainingRun(
        new TrainingRun.Request(runId, config, out, null), ctx)
        .lendModel(lent -> ctx.publish(new TrainingModel(runId,
            workbench.useTraining(runId, lent))))
        .run());
  }

  /**
   * A headless run (the command line's {@code train}): {@code config} from scratch into
   * {@code out}, or on from the checkpoint {@code resume} (null: a new run) until step
   * {@code stopAt} (0: the config's last step). Nothing is lent to Masking or Denoise.
   */
  public record TrainRequest(String runId, RunConfig config, Path out, Path resume, int stopAt) {
  }

  /** Runs a {@link TrainRequest}; stop it with {@link #cancel} (it keeps a checkpoint). */
  public CompletableFuture<RunResult> train(TrainRequest r) {
    return engine.submit("Training " + r.config().name(), ctx -> new TrainingRun(
        new TrainingRun.Request(r.runId(), r.config(), r.out(), r.resume(), r.stopAt()), ctx)
        .run());
  }

  /**
   * A checkpoint's config and manifest, read and checked without loading its weights (no engine
   * thread needed); a folder that is not a checkpoint fails with one message naming it.
   */
  public static CheckpointInfo readCheckpoint(Path dir) {
    return info(Checkpoint.read(dir));
  }

  /** Fails, naming the checkpoint, when it keeps no optimiser state to resume from. */
  public static CheckpointInfo readResumable(Path dir) {
    Checkpoint.Contents c = Checkpoint.read(dir);
    Checkpoint.checkResumable(c);
    return info(c);
  }

  private static CheckpointInfo info(Checkpoint.Contents c) {
    return new CheckpointInfo(c.dir(), c.config(), c.manifest(),
        Files.isRegularFile(c.dir().resolve(Checkpoint.OPTIMIZER)));
  }

  /**
   * Copies the checkpoint {@code dir} to {@code out} for sharing: the same weights, tokenizer and
   * manifest, {@code sampler} as its default sampler, no optimiser state. Answers its step.
   */
  public static int export(Path dir, SamplerConfig sampler, Path out) throws IOException {
    Checkpoint.Contents from = Checkpoint.read(dir);
    Checkpoint.export(from, from.config().withSampler(sampler), out);
    return from.manifest().step();
  }

  /**
   * As {@link #export(Path, SamplerConfig, Path)}, the parameters stored as float16 (half the
   * file; loading widens them back to float32). Answers its step.
   */
  public CompletableFuture<Integer> exportHalf(Path dir, SamplerConfig sampler, Path out) {
    return engine.submit("Exporting", ctx -> {
      Checkpoint.Contents from = Checkpoint.read(dir);
      byte[] params;
      try (LoadedModel lm = LoadedModel.open(from, ctx.manager());
          java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
          java.io.DataOutputStream out16 = new java.io.DataOutputStream(bytes)) {
        lm.model().saveHalf(out16);
        out16.flush();
        params = bytes.toByteArray();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (IllegalArgumentException e) {
        throw new InputException("--half: " + e.getMessage());
      }
      try {
        Checkpoint.export(from, from.config().withSampler(sampler), out, params);
      } catch (IOException e) {
        throw new InputException("--out " + out + " cannot be written (" + e.getMessage()
            + ")");
      }
      return from.manifest().step();
    });
  }

  /** Reads a corpus with a tokenizer (a file or {@code tinytales}) and answers its statistics. */
  public static CorpusStats corpusStats(DataConfig data, long seed) {
    try (TextTokenizer t = TextTokenizer.named(data.tokenizer())) {
      return LoadedCorpus.load(data, seed, t).stats();
    }
  }

  /**
   * Evaluates the checkpoint {@code dir}: held-out bound, loss by level, and the validity and
   * variety of {@code samples} samples drawn with {@code sampler} from {@code seed}; with
   * {@code record}, the numbers go into its manifest.
   */
  public CompletableFuture<Map<String, Object>> evaluate(Path dir, SamplerConfig sampler,
      int samples, long seed, boolean record) {
    return evaluate(dir, sampler, samples, seed, record, dev.diffulab.core.pairs.Answering.SINGLE);
  }

  /**
   * As above; a prompt → response model answers {@code samples} held-out prompts as
   * {@code answering} says (self-consistency votes, one pass or thought by thought).
   */
  public CompletableFuture<Map<String, Object>> evaluate(Path dir, SamplerConfig sampler,
      int samples, long seed, boolean record, dev.diffulab.core.pairs.Answering answering) {
    return engine.submit("Evaluating",
        ctx -> CheckpointTasks.evaluate(ctx, dir, sampler, samples, seed, record, answering));
  }

  /**
   * A quality–diversity sweep of the checkpoint {@code dir}: {@code grid} (written as
   * {@code temperature=0.8,1;remasking=random,low-confidence}, or null for the family's own)
   * applied over {@code sampler}, {@code samples} samples a point from {@code seed}, measured as
   * {@link #evaluate} measures them; one row per point, labelled. {@code progress} hears (done,
   * points).
   */
  public CompletableFuture<List<Map<String, Object>>> sweep(Path dir, SamplerConfig sampler,
      String grid, int samples, long seed, BiConsumer<Integer, Integer> progress) {
    return engine.submit("Sweeping the sampler",
        ctx -> CheckpointTasks.sweep(ctx, dir, sampler, grid, samples, seed, progress));
  }

  /**
   * {@link #sweep} of the model open in the window (after any running training, which it
   * queues behind): {@code grid} blank for the family's own, over the model's own sampler
   * settings. Cancel it with {@link #cancel}.
   */
  public CompletableFuture<List<Map<String, Object>>> sweepOpenModel(String grid, int samples,
      long seed, BiConsumer<Integer, Integer> progress) {
    return engine.submit("Sweeping the sampler", ctx -> {
      LoadedModel lm = workbench.active();
      if (lm == null) {
        throw new InputException("no model is open");
      }
      return CheckpointTasks.sweep(ctx, lm, lm.config().sampler(), grid, "grid", samples, seed,
          progress);
    });
  }

  /**
   * How many denoising steps the answers of the checkpoint {@code dir} need
   * ({@link dev.diffulab.engine.train.Evaluator#accuracyBySteps}); {@code dir} null: the model
   * open in the window (after any running training). Cancel it with {@link #cancel}.
   */
  public CompletableFuture<List<Map<String, Object>>> accuracyBySteps(Path dir,
      SamplerConfig sampler, int[] steps, int prompts,
      dev.diffulab.core.pairs.Answering answering, long seed,
      BiConsumer<Integer, Integer> progress) {
    return engine.submit("Measuring accuracy by steps", ctx -> {
      if (dir != null) {
        return CheckpointTasks.accuracyBySteps(ctx, dir, sampler, steps, prompts, answering,
            seed, progress);
      }
      LoadedModel lm = workbench.active();
      if (lm == null) {
        throw new InputException("no model is open");
      }
      return dev.diffulab.engine.train.Evaluator.accuracyBySteps(lm,
          sampler == null ? lm.config().sampler() : sampler, steps, prompts, answering, seed,
          ctx, progress);
    });
  }

  /**
   * The checkpoints {@code dirs} evaluated alike, one row each (as {@code evaluate --compare}):
   * the same {@code prompts} held-out prompts (or samples) and {@code seed}, each with its own
   * sampler; {@code progress} hears (done, checkpoints). Cancel it with {@link #cancel}.
   */
  public CompletableFuture<List<Map<String, Object>>> compare(List<Path> dirs, int prompts,
      long seed, BiConsumer<Integer, Integer> progress) {
    List<Path> copy = List.copyOf(dirs);
    return engine.submit("Comparing checkpoints",
        ctx -> CheckpointTasks.compare(ctx, copy, prompts, seed, progress));
  }

  /** The grid a family's sweep tries when not told ({@code key=v1,v2;...}). */
  public static String defaultSweep(dev.diffulab.core.config.Method method) {
    return dev.diffulab.engine.method.DiffusionMethod.of(method).defaultSweep();
  }

  /**
   * Samples the checkpoint {@code dir} (opened for this request and closed after), recording
   * every step; {@code progress} hears (step, steps), {@code warn} what the person should know
   * (words of the prefix the tokenizer does not know).
   */
  public CompletableFuture<List<DenoiseTrace>> sample(Path dir, SamplerConfig sampler,
      String prefix, long seed, BiConsumer<Integer, Integer> progress,
      java.util.function.Consumer<String> warn) {
    return engine.submit("Sampling",
        ctx -> CheckpointTasks.sample(ctx, dir, sampler, prefix, seed, progress, warn));
  }

  /**
   * What the window asks of an image run: the config, where the pictures are ({@code data}
   * overrides the config's), the checkpoint folder, a checkpoint to go on from (or null); it
   * hears log lines, every step's progress and, every {@code previewEvery} steps, pictures from
   * the current model judged by the shipped classifier where it knows the run's pictures.
   */
  public record ImageTrainRequest(dev.diffulab.core.gaussian.GaussianConfig config, Path data,
      Path out, Path resume, java.util.function.Consumer<String> log,
      java.util.function.Consumer<dev.diffulab.core.gaussian.ImageProgress> progress,
      java.util.function.Consumer<dev.diffulab.core.gaussian.ImagePreview> preview,
      int previewEvery) {
  }

  /** Test pictures and steps t a picture the variational bound of {@code evaluate} uses. */
  private static final int BOUND_PICTURES = 500;
  private static final int BOUND_STEPS = 31;

  /** Pictures a training preview draws and judges, and the DDIM steps it takes. */
  private static final int PREVIEW_SAMPLES = 64;
  private static final int PREVIEW_SHOWN = 16;
  private static final int PREVIEW_STEPS = 20;

  /**
   * Trains an image run (see {@link ImageTrainRequest}); stop it with {@link #cancel}: the
   * checkpoint is written first.
   */
  public CompletableFuture<dev.diffulab.core.gaussian.ImageRunResult> trainImages(
      ImageTrainRequest r) {
    var config = r.config();
    return engine.submit("Training " + config.name(), ctx -> {
      if (r.out() != null) {
        dev.diffulab.engine.gaussian.ImageCheckpoint.checkTarget(r.out());
      }
      var from = r.resume() != null
          ? dev.diffulab.engine.gaussian.ImageCheckpoint.read(r.resume())
          : null;
      var pictures = dev.diffulab.engine.gaussian.ImageTraining.trainingSet(config, r.data());
      var classifier = dev.diffulab.engine.image.ClassifierTraining.manifest(null);
      boolean judged = r.previewEvery() > 0 && "fashion-mnist".equals(config.data().source())
          && classifier.height() == pictures.height() && classifier.width() == pictures.width()
          && classifier.classNames().length == pictures.classes();
      try (var previews = new dev.diffulab.engine.gaussian.ImagePreviews(judged
          ? dev.diffulab.engine.image.ClassifierTraining.load(null, ctx.manager())
          : null,
          judged
              ? dev.diffulab.core.image.FashionMnist.split(
                  "fashion-mnist".equals(config.data().source()) ? r.data() : null, false)
              : null,
          PREVIEW_SAMPLES, PREVIEW_SHOWN, PREVIEW_STEPS)) {
        return dev.diffulab.engine.gaussian.ImageTraining.run(config, pictures, r.out(),
            ctx.manager(), r.log(), ctx::cancelled, from,
            new dev.diffulab.engine.gaussian.ImageTraining.Watch(r.progress(), r.preview(),
                r.previewEvery(), previews));
      }
    });
  }

  /** An image checkpoint's config and manifest, read without loading it. */
  public record ImageModelInfo(Path dir, dev.diffulab.core.gaussian.GaussianConfig config,
      dev.diffulab.core.gaussian.ImageManifest manifest) {
  }

  /** Reads an image checkpoint's config and manifest; fails naming what is missing. */
  public static ImageModelInfo readImageCheckpoint(Path dir) {
    var c = dev.diffulab.engine.gaussian.ImageCheckpoint.read(dir);
    return new ImageModelInfo(dir, c.config(), c.manifest());
  }

  /**
   * Noises {@code x0} (a picture, H·W in [−1, 1]) {@code fraction} of the way along the forward
   * process of the image checkpoint {@code dir}, with noise drawn from {@code seed}, and returns
   * x_t with the model's x̂₀ and ε̂ for class {@code label} (negative: unconditional).
   */
  public CompletableFuture<dev.diffulab.core.gaussian.ImageNoising> noiseImage(Path dir,
      float[] x0, int label, double fraction, long seed) {
    return engine.submit("Noising a picture", ctx -> dev.diffulab.engine.gaussian.ImageModels
        .noise(imageModels.get(dir, ctx.manager()), x0, label, fraction, seed));
  }

  /**
   * The errors of the image checkpoint {@code dir}'s ε̂ and x̂₀ for {@code x0} along the whole
   * forward process (the noise of {@code seed}, as {@link #noiseImage}).
   */
  public CompletableFuture<dev.diffulab.core.gaussian.NoiseCurve> noiseCurve(Path dir,
      float[] x0, int label, long seed) {
    return engine.submit("Measuring the noise curve",
        ctx -> dev.diffulab.engine.gaussian.ImageModels.curve(imageModels.get(dir, ctx.manager()),
            x0, label, seed, 28));
  }

  /**
   * Draws pictures from the image checkpoint {@code dir} with {@code sampler}; {@code classes}
   * asks each sample for a class (null: unconditional).
   */
  public CompletableFuture<dev.diffulab.core.gaussian.ImageSamples> generateImages(Path dir,
      dev.diffulab.core.gaussian.GaussianConfig.Sampler sampler, int[] classes, long seed,
      boolean trace) {
    return engine.submit("Sampling pictures", ctx -> {
      var model = imageModels.get(dir, ctx.manager());
      var c = imageModels.contents();
      var r = dev.diffulab.engine.gaussian.GaussianSampler.sample(model,
          dev.diffulab.engine.gaussian.GaussianSampler.Request.of(sampler,
              sampler.numSamples(), classes, seed, trace),
          ctx::cancelled, null);
      return new dev.diffulab.core.gaussian.ImageSamples(r.images(), model.height(),
          model.width(), classes, c.manifest().classNames(), r.timesteps(), r.noisy(),
          r.denoised());
    });
  }

  /**
   * Samples the image checkpoint {@code dir} and judges the samples with the classifier
   * ({@code classifier}, or the shipped one) against FashionMNIST in {@code data}.
   */
  public CompletableFuture<Map<String, Object>> evaluateImages(Path dir,
      dev.diffulab.core.gaussian.GaussianConfig.Sampler sampler, boolean conditional,
      long seed, Path classifier, Path data) {
    return evaluateImages(dir, sampler, conditional, seed, classifier, data, true);
  }

  /**
   * As above; without {@code withBound} the variational bound (a property of the model, not
   * the sampler, and the larger part of the work for a small sample) is left out.
   */
  public CompletableFuture<Map<String, Object>> evaluateImages(Path dir,
      dev.diffulab.core.gaussian.GaussianConfig.Sampler sampler, boolean conditional,
      long seed, Path classifier, Path data, boolean withBound) {
    return engine.submit("Evaluating pictures", ctx -> {
      var c = dev.diffulab.engine.gaussian.ImageCheckpoint.read(dir);
      var test = dev.diffulab.core.image.FashionMnist.split(data, false);
      var train = dev.diffulab.core.image.FashionMnist.split(data, true);
      int n = sampler.numSamples();
      int k = c.manifest().classNames().length;
      int[] classes = null;
      if (conditional && c.config().model().classConditional()) {
        classes = new int[n];
        for (int i = 0; i < n; i++) {
          classes[i] = i % k;
        }
      }
      float[][] images;
      double[] bound;
      double boundSeconds;
      double sampleSeconds;
      try (var model = dev.diffulab.engine.gaussian.ImageCheckpoint.load(c, ctx.manager())) {
        long began = System.nanoTime();
        bound = withBound
            ? dev.diffulab.engine.gaussian.ImageEvaluation.bitsPerDim(model, test,
                BOUND_PICTURES, BOUND_STEPS, seed)
            : null;
        boundSeconds = (System.nanoTime() - began) / 1e9;
        began = System.nanoTime(); // the samples timed alone: what pictures/s means
        images = dev.diffulab.engine.gaussian.GaussianSampler.sample(model,
            dev.diffulab.engine.gaussian.GaussianSampler.Request.of(sampler, n, classes, seed,
                false),
            ctx::cancelled, null)
            .images();
        sampleSeconds = (System.nanoTime() - began) / 1e9;
      }
      try (var judge = dev.diffulab.engine.image.ClassifierTraining.load(classifier,
          ctx.manager())) {
        Map<String, Object> report = new java.util.LinkedHashMap<>(
            dev.diffulab.engine.gaussian.ImageEvaluation.measure(judge, images, classes, test,
                train));
        report.put("sampler", "DDIM " + sampler.steps() + " steps, eta " + sampler.eta()
            + (classes == null
                ? ", unconditional"
                : ", guidance " + sampler.guidance()
                    + (sampler.guidanceLimited()
                        ? " for t/T in [" + sampler.guidanceFrom() + ", "
                            + sampler.guidanceTo() + "]"
                        : "")));
        report.put("sampling_seconds", sampleSeconds);
        report.put("pictures_per_second", n / sampleSeconds);
        if (bound == null) {
          return report;
        }
        report.put("bound_seconds", boundSeconds);
        report.put("bits_per_dim", bound[0]);
        report.put("bits_per_dim_parts", new double[]{bound[1], bound[2], bound[3]});
        report.put("bits_per_dim_note", "variational bound of the unconditional model on "
            + Math.min(BOUND_PICTURES, test.size()) + " test pictures (prior, " + BOUND_STEPS
            + " stratified t a picture for the middle terms, decoder)");
        return report;
      }
    });
  }

  /** What training an image classifier takes: data, recipe, where to write it. */
  public record ClassifierRequest(Path data, Path out, int epochs, int batchSize,
      double learningRate, double weightDecay, long seed, int limit) {
  }

  /**
   * Trains the image classifier on the training split of the IDX files in {@code r.data()},
   * measures it on the test split and writes it to {@code r.out()}; {@code log} hears each
   * epoch. The returned manifest holds the test accuracy.
   */
  public CompletableFuture<dev.diffulab.core.image.ClassifierManifest> trainClassifier(
      ClassifierRequest r, java.util.function.Consumer<String> log) {
    return engine.submit("Training the image classifier", ctx -> {
      var train = dev.diffulab.core.image.FashionMnist.split(r.data(), true);
      var test = dev.diffulab.core.image.FashionMnist.split(r.data(), false);
      if (r.limit() > 0) {
        train = train.first(r.limit());
      }
      if (r.out() != null) {
        // refused before an hour of training, not after
        dev.diffulab.engine.checkpoint.Checkpoint.checkTarget(r.out());
      }
      try (var net = new dev.diffulab.engine.image.ImageClassifier(train.height(),
          train.width(), train.classes(), ctx.manager(), r.seed())) {
        var manifest = dev.diffulab.engine.image.ClassifierTraining.train(net, train, test,
            new dev.diffulab.engine.image.ClassifierTraining.Recipe(r.epochs(), r.batchSize(),
                r.learningRate(), r.weightDecay(), r.seed()),
            log, ctx::cancelled);
        if (r.out() != null) {
          dev.diffulab.engine.image.ClassifierTraining.save(net, manifest, r.out());
        }
        return manifest;
      }
    });
  }

  /**
   * Measures a classifier ({@code dir}, or the shipped one when null) on the test split in
   * {@code data}: {accuracy, share of pictures it is ≥ 0.9 sure of}.
   */
  public CompletableFuture<double[]> evaluateClassifier(Path dir, Path data) {
    return engine.submit("Evaluating the image classifier", ctx -> {
      var test = dev.diffulab.core.image.FashionMnist.split(data, false);
      try (var net = dev.diffulab.engine.image.ClassifierTraining.load(dir, ctx.manager())) {
        return dev.diffulab.engine.image.ClassifierTraining.measure(net, test);
      }
    });
  }

  /**
   * Measures this engine's device (see {@code diffulab bench}); {@code tokenizer} is the
   * large-vocabulary shape's (null: a generated 30,522-token vocabulary).
   */
  public CompletableFuture<BenchReport> bench(Path tokenizer, int steps,
      java.util.function.Consumer<String> progress) {
    return engine.submit("Benchmark", ctx -> Bench.run(ctx, tokenizer, steps, progress));
  }

  /** Answers the engine's status once it has started (or failed to, with the reason). */
  public CompletableFuture<EngineStatus> started() {
    return engine.submit("Starting", ctx -> engine.status());
  }

  /** Times {@code steps} real steps of {@code config} on the engine's device; saves nothing. */
  public CompletableFuture<StepCost> measure(String runId, RunConfig config, int steps) {
    return engine.submit("Measuring a full run", ctx -> new TrainingRun(
        new TrainingRun.Request(runId, config, null, null), ctx).measure(steps));
  }

  /**
   * How many tensors the engine holds now (its root manager and every manager under it): flat
   * over a long session, or something leaks. For benchmarks and diagnostics.
   */
  public CompletableFuture<Integer> liveArrays() {
    return engine.submit("Counting tensors", ctx -> ctx.manager().getManagedArrays().size());
  }

  /**
   * Who is asked, as a last resort, where a run's checkpoint can go when neither its folder nor
   * any fallback could take it: given the problem, answers a folder (or null to give up).
   */
  public void setSaveAsker(java.util.function.Function<String, CompletableFuture<Path>> asker) {
    engine.setSaveAsker(asker);
  }

  /** Cancels exactly the task of {@code job}; see {@link DiffusionEngine#cancel}. */
  public boolean cancel(CompletableFuture<?> job) {
    return engine.cancel(job);
  }

  public void setPaused(boolean pause) {
    engine.setPaused(pause);
  }

  /** The folder of a shipped demo model ({@code "demo"}, {@code "demo-cdcd"}). */
  public static Path demoFolder(String name) {
    return DemoModels.folder(name);
  }

  /**
   * Stops a running task, lets the workbench close its models and tokenizer on the engine thread
   * (closing the engine first would cancel that queued cleanup), then ends the thread.
   */
  @Override
  public void close() {
    close(5000);
  }

  /** {@link #close()}, waiting up to {@code timeoutMillis} for a running task to stop. */
  public void close(long timeoutMillis) {
    engine.cancelCurrent();
    try {
      engine.submit("Closing", ctx -> {
        imageModels.close();
        workbench.close();
        return null;
      }).get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // closing anyway: the engine closes its root manager and with it every array
    }
    engine.close(timeoutMillis);
  }
}
