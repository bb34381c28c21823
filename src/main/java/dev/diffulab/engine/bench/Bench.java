package dev.diffulab.engine.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.config.DataConfig;
import dev.diffulab.core.config.ModelConfig;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.BenchReport;
import dev.diffulab.core.tinytales.TinyTalesTokenizer;
import dev.diffulab.engine.masked.MaskedSampler;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import dev.diffulab.engine.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code diffulab bench}: what this device does, measured in one run. The engine's own float32
 * matmul rate is the roofline; training throughput at the quick-test shape (both families) and
 * at a BERT-sized vocabulary is reported as non-padding tokens per second and as model-FLOPs
 * utilisation against that rate; sampling as milliseconds per denoising step.
 *
 * <p>Model FLOPs per real token (the PaLM definition, adapted): three times the forward pass —
 * 2·N_blocks per computed position plus attention 4·T·D per layer, divided by the real-token
 * fraction, and the head 2·D·V at each scored row (about half the tokens for masked diffusion,
 * every token for CDCD).
 */
public final class Bench {
  /**
   * The quick test's model and batch (sample-configs/quick-test.json), run whole: the quick test
   * runs its batches as up to 4 length groups, whose many group shapes each pay their first
   * allocation inside a short timing (30 steps grouped: 12,600 tokens/s, where a run just before
   * measured 17,700 whole; 120 steps grouped: 16,100), so the bench times the batch whole and
   * the run reports its own tokens/s.
   */
  static final String QUICK_SHAPE = "\"model\": {\"d_model\": 128, \"layers\": 3, \"heads\": 4,"
      + " \"ffn\": 384, \"seq_len\": 96, \"tie_embeddings\": %s}, \"train\": {\"batch_size\": 32,"
      + " \"learning_rate\": 0.001, \"warmup_steps\": 100}";
  /** BERT-base's vocabulary size. */
  public static final int LARGE_VOCAB = 30_522;

  private Bench() {
  }

  /**
   * @param largeTokenizer a tokenizer.json for the large-vocabulary shape, or null for a
   *     generated 30,522-token WordPiece vocabulary over TinyTales
   * @param steps timed training steps per shape (after one warm-up step)
   * @param progress told what is being measured
   */
  public static BenchReport run(EngineContext ctx, Path largeTokenizer, int steps,
      java.util.function.Consumer<String> progress) throws IOException {
    // the engine runs this task once PyTorch is loaded: the JVM's age is the start-up a user waits
    double ready = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    progress.accept("opening the demo model and drawing four samples");
    BenchReport.Startup startup = new BenchReport.Startup(ready, demoGenerateSeconds(ctx));
    String device = ctx.device().isGpu()
        ? dev.diffulab.engine.runtime.Hardware.describe(ctx.device())
        : "CPU";
    progress.accept("float32 matmul rate");
    double gflops = matmulGflops(ctx.manager());
    progress.accept("masked diffusion training, quick-test shape");
    BenchReport.Training masked = training(ctx, config("masked", DataConfig.TINYTALES, true), steps,
        gflops);
    progress.accept("CDCD training, quick-test shape");
    BenchReport.Training cdcd = training(ctx, config("cdcd", DataConfig.TINYTALES, false), steps,
        gflops);
    progress.accept("sampling at batch 1 and 16");
    double b1;
    double b16;
    try (TextTokenizer tok = TextTokenizer.tinyTales()) {
      b1 = sampleMsPerStep(ctx, config("masked", DataConfig.TINYTALES, true), tok, 1, 64, 32);
      b16 = sampleMsPerStep(ctx, config("masked", DataConfig.TINYTALES, true), tok, 16, 64, 32);
    }
    Path tokenizer = largeTokenizer;
    Path temp = null;
    if (tokenizer == null) {
      temp = Files.createTempFile("diffulab-bench-vocab", ".json");
      Files.writeString(temp, TinyTalesTokenizer.json(LARGE_VOCAB));
      tokenizer = temp;
    }
    try {
      RunConfig large = config("masked", tokenizer.toString(), true);
      progress.accept("masked diffusion training, large vocabulary");
      BenchReport.Training lv = training(ctx, large, steps, gflops);
      progress.accept("sampling 4 x 64 tokens x 32 steps, large vocabulary");
      double lvSample;
      try (TextTokenizer tok = TextTokenizer.load(tokenizer)) {
        lvSample = sampleMsPerStep(ctx, large, tok, 4, 64, 32) * 32 / 1000;
      }
      java.util.List<BenchReport.Images> images = new java.util.ArrayList<>();
      for (String name : IMAGE_CONFIGS) {
        progress.accept("Gaussian diffusion on pictures, " + name + ", batch " + IMAGE_BATCH);
        images.add(images(ctx, name, steps, gflops));
      }
      java.util.List<BenchReport.Task> tasks = new java.util.ArrayList<>();
      for (String name : TASK_CONFIGS) {
        progress.accept("prompt → response, " + name);
        tasks.add(task(ctx, name, steps, gflops));
      }
      return new BenchReport(device, gflops, masked, cdcd, lv, b1, b16, lvSample, peakRssMb(),
          startup, images, tasks);
    } finally {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    }
  }

  static RunConfig config(String method, String tokenizer, boolean tied) {
    return RunConfig.parse("{\"name\": \"bench-" + method + "\", \"method\": \"" + method
        + "\", \"seed\": 42, " + String.format(QUICK_SHAPE, tied) + ", \"data\": {\"tokenizer\": "
        + com.google.gson.JsonParser.parseString("\"" + tokenizer.replace("\\", "\\\\") + "\"")
        + ", \"tinytales_stories\": 2000}, \"sampler\": {\"remasking\": \"low-confidence\"}}",
        "bench");
  }

  /** The task shapes measured: masked diffusion and the AR baseline of the same size. */
  static final java.util.List<String> TASK_CONFIGS = java.util.List.of(
      "quick-test-multiplication", "quick-test-multiplication-ar");
  /** Prompts answered for a task's answers a second. */
  static final int TASK_PROMPTS = 64;

  /**
   * A shipped task config's method at its shape: {@code steps} timed training steps, then
   * {@value #TASK_PROMPTS} generated prompts answered with its sampler.
   */
  static BenchReport.Task task(EngineContext ctx, String name, int steps, double gflops)
      throws IOException {
    RunConfig config = RunConfig.loadOrShipped(Path.of(name));
    BenchReport.Training t = training(ctx, config, steps, gflops);
    int seqLen = config.model().seqLen();
    try (TextTokenizer tok = TextTokenizer.named(config.data().tokenizer());
        NDManager m = ctx.manager().newSubManager()) {
      var method = dev.diffulab.engine.method.DiffusionMethod.of(config.method());
      var model = method.buildModel(config, tok, m);
      java.util.List<int[]> rows = new java.util.ArrayList<>();
      for (var pair : dev.diffulab.core.pairs.Tasks.generate(config.data().corpus(),
          TASK_PROMPTS, 5)) {
        rows.add(dev.diffulab.core.pairs.PairTokens.row(tok.encode(pair.prompt()),
            tok.encode(pair.response()), tok.sepId(), seqLen));
      }
      var live = new dev.diffulab.engine.method.LoadedModel(config, tok, model, null,
          dev.diffulab.core.checkpoint.ModelExtras.NONE);
      var r = dev.diffulab.engine.method.PairEvaluation.run(live, config.sampler(), rows,
          TASK_PROMPTS, 1, 3, ctx, null);
      long parameters = model.parameterCount();
      model.close();
      return new BenchReport.Task(name, config.method().id(), parameters, t,
          r.answersPerSecond());
    }
  }

  static final int IMAGE_BATCH = 64;
  /** The image shapes measured: the quick test's and the demo model's U-Nets. */
  static final java.util.List<String> IMAGE_CONFIGS = java.util.List.of("quick-test-images",
      "demo-images");

  /**
   * The image family's U-Net at a shipped config's shape: {@code steps} timed training steps
   * of {@value #IMAGE_BATCH} random pictures after one untimed, then a DDIM run of
   * {@value #IMAGE_BATCH} pictures after one untimed step (untrained weights cost the same).
   */
  static BenchReport.Images images(EngineContext ctx, String name, int steps, double gflops) {
    var c = dev.diffulab.core.gaussian.GaussianConfig.loadOrShipped(Path.of(name));
    java.util.Random r = new java.util.Random(1);
    float[][] x0 = new float[IMAGE_BATCH][28 * 28];
    int[] labels = new int[IMAGE_BATCH];
    for (int i = 0; i < IMAGE_BATCH; i++) {
      for (int k = 0; k < x0[i].length; k++) {
        x0[i][k] = (float) (2 * r.nextDouble() - 1);
      }
      labels[i] = i % 10;
    }
    try (var model = new dev.diffulab.engine.gaussian.GaussianModel(c, 28, 28, 10,
        ctx.manager());
        var trainer = new dev.diffulab.engine.gaussian.GaussianTrainer(model)) {
      trainer.step(x0, labels, 1e-4, r);
      long t0 = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        ctx.checkCancelled("bench");
        trainer.step(x0, labels, 1e-4, r);
      }
      double perSecond = (double) IMAGE_BATCH * steps / ((System.nanoTime() - t0) / 1e9);
      int ddim = 10;
      // one untimed step first: the engine picks its kernels for a new shape on the first pass
      dev.diffulab.engine.gaussian.GaussianSampler.sample(model,
          new dev.diffulab.engine.gaussian.GaussianSampler.Request(IMAGE_BATCH, 1, 0,
              c.sampler().guidance(), labels, 3, false),
          ctx::cancelled, null);
      long t1 = System.nanoTime();
      dev.diffulab.engine.gaussian.GaussianSampler.sample(model,
          new dev.diffulab.engine.gaussian.GaussianSampler.Request(IMAGE_BATCH, ddim, 0,
              c.sampler().guidance(), labels, 3, false),
          ctx::cancelled, null);
      double msPerStep = (System.nanoTime() - t1) / 1e6 / ddim;
      double forward = dev.diffulab.engine.gaussian.UNet.forwardFlops(c.model().channels(), 28,
          28);
      return new BenchReport.Images(name, model.parameterCount(), IMAGE_BATCH, perSecond,
          forward / 1e9, 3 * forward * perSecond / (gflops * 1e9), msPerStep,
          msPerStep * dev.diffulab.engine.gaussian.GaussianSampler.Request.of(
              c.sampler().withSteps(50), IMAGE_BATCH, labels, 3, false)
              .passes(model.config().schedule()) / 2 / 1000);
    }
  }

  /** Seconds to open the shipped masked demo and draw four samples with its own sampler. */
  static double demoGenerateSeconds(EngineContext ctx) {
    if (!dev.diffulab.core.checkpoint.DemoModels.available().contains("demo")) {
      return Double.NaN;
    }
    long t0 = System.nanoTime();
    try (var lm = dev.diffulab.engine.method.LoadedModel.open(
        dev.diffulab.core.checkpoint.DemoModels.resolve(Path.of("demo")), ctx.manager())) {
      var s = lm.config().sampler();
      int[] lengths = lm.drawLengths(4, s.length(), 0, 7);
      lm.sample(s, lengths, new int[0], 7, ctx);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** GFLOP/s of repeated 1024 × 1024 float32 matmuls on the engine's device. */
  static double matmulGflops(NDManager manager) {
    int n = 1024;
    try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray a = m.randomNormal(new Shape(n, n));
      NDArray b = m.randomNormal(new Shape(n, n));
      for (int i = 0; i < 3; i++) {
        a.matMul(b).sum().getFloat(); // warm-up; the read waits for a GPU to finish
      }
      int reps = 0;
      long t0 = System.nanoTime();
      NDArray acc = null;
      while (System.nanoTime() - t0 < 1_500_000_000L || reps < 5) {
        try (NDScope inner = new NDScope()) {
          inner.suppressNotUsedWarning();
          acc = a.matMul(b);
          acc.get(0, 0).getFloat();
        }
        reps++;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return 2.0 * n * n * n * reps / seconds / 1e9;
    }
  }

  private static BenchReport.Training training(EngineContext ctx, RunConfig config, int steps,
      double gflops) throws IOException {
    dev.diffulab.core.snapshot.StepCost c = new TrainingRun(
        new TrainingRun.Request(config.name(), config, null,
            null),
        ctx).measure(Math.max(3, steps / 4), steps);
    int vocab;
    try (TextTokenizer tok = dev.diffulab.engine.text.TextTokenizer.named(config.data()
        .tokenizer())) {
      vocab = tok.vocabSize();
    }
    double flops = flopsPerRealToken(config.model(), vocab, c.realTokenFraction(),
        c.meanBatchLength(), config.method().scoredShare());
    return new BenchReport.Training(config.method().id(), vocab, c.tokensPerSecond(),
        flops * c.tokensPerSecond() / (gflops * 1e9), c.realTokenFraction(), c.secondsPerStep(),
        peakRssMb());
  }

  /** Training FLOPs per real token (see the class comment). */
  static double flopsPerRealToken(ModelConfig m, int vocab, double realFraction,
      double meanLength, double scoredPerToken) {
    double d = m.dModel();
    double blocks = m.layers() * (4 * d * d + 2 * d * m.ffn());
    double perPosition = 2 * blocks + 4 * meanLength * d * m.layers();
    double forward = perPosition / Math.max(1e-9, realFraction) + 2 * d * vocab * scoredPerToken;
    return 3 * forward;
  }

  /** Milliseconds per denoising step of the masked sampler (untrained weights cost the same). */
  static double sampleMsPerStep(EngineContext ctx, RunConfig config, TextTokenizer tok, int batch,
      int length, int steps) {
    var s = config.sampler().with(steps, config.sampler().schedule(),
        config.sampler().remasking(), config.sampler().tokenChoice(), config.sampler().topK(),
        config.sampler().topP(), config.sampler().temperature(), length, batch);
    int[] lengths = new int[batch];
    Arrays.fill(lengths, length);
    try (DenoiserModel<Denoiser> model = DenoiserModel.masked(config.model(), tok.vocabSize(),
        tok.specialMask(), ctx.manager(), config.seed())) {
      var warm = s.with(2, s.schedule(), s.remasking(), s.tokenChoice(), s.topK(), s.topP(),
          s.temperature(), length, batch);
      MaskedSampler.sample(model, tok, warm, lengths, new int[0], 1, ctx, null);
      long t0 = System.nanoTime();
      MaskedSampler.sample(model, tok, s, lengths, new int[0], 2, ctx, null);
      return (System.nanoTime() - t0) / 1e6 / steps;
    }
  }

  /** The process's peak resident memory (Linux VmHWM), or the JVM heap in use elsewhere. */
  public static double peakRssMb() {
    Path status = Path.of("/proc/self/status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: fall through
    }
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) / 1e6;
  }
}
