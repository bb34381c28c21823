package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.snapshot.BenchReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measures this device in"
    + " one run: the float32 matmul rate, training throughput and model-FLOPs utilisation at the"
    + " quick-test shape (masked, CDCD) and at a 30,522-token vocabulary, sampling ms per step,"
    + " peak memory.")
final class BenchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;
  @Option(names = "--tokenizer", description = "tokenizer.json for the large-vocabulary shape"
      + " (default: a generated 30,522-token WordPiece vocabulary over TinyTales).")
  Path tokenizer;
  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default:"
      + " ${DEFAULT-VALUE}).")
  String device;
  @Option(names = "--steps", defaultValue = "20", description = "Timed training steps per shape"
      + " (default: ${DEFAULT-VALUE}).")
  int steps;

  @Override
  public Integer call() throws Exception {
    DeviceChoice choice = ConfigName.parse(DeviceChoice.class, "--device", device);
    if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
      throw new InputException("--tokenizer " + tokenizer + ": no such file");
    }
    if (steps < 1 || steps > 10_000) {
      throw new InputException("--steps must be between 1 and 10000, not " + steps);
    }
    PrintWriter err = spec.commandLine().getErr();
    BenchReport r = EngineRunner.run(choice, s -> {
    }, lab -> lab.bench(tokenizer, steps, what -> {
      err.println("measuring " + what + "…");
      err.flush();
    }));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("device", r.device());
      m.put("matmul_gflops", r.matmulGflops());
      m.put("masked", training(r.masked()));
      m.put("cdcd", training(r.cdcd()));
      Map<String, Object> lv = training(r.largeVocab());
      lv.put("sample_4x64x32_s", r.largeVocabSampleSeconds());
      m.put("large_vocab", lv);
      m.put("sample_ms_per_step_b1", r.sampleMsPerStepB1());
      m.put("sample_ms_per_step_b16", r.sampleMsPerStepB16());
      m.put("peak_rss_mb", r.peakRssMb());
      Map<String, Object> images = new LinkedHashMap<>();
      for (BenchReport.Images i : r.images()) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("parameters", i.parameters());
        one.put("batch", i.batch());
        one.put("images_per_s", i.imagesPerSecond());
        one.put("forward_gflops_per_image", i.forwardGflopsPerImage());
        one.put("mfu", i.mfu());
        one.put("sample_ms_per_step", i.sampleMsPerStep());
        one.put("ddim50_grid64_s", i.ddim50Seconds());
        images.put(i.config(), one);
      }
      m.put("images", images);
      Map<String, Object> tasks = new LinkedHashMap<>();
      for (BenchReport.Task t : r.tasks()) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("method", t.method());
        one.put("parameters", t.parameters());
        one.put("training", training(t.training()));
        one.put("answers_per_s", t.answersPerSecond());
        tasks.put(t.config(), one);
      }
      m.put("tasks", tasks);
      m.put("startup_engine_ready_s", r.startup().engineReadySeconds());
      m.put("startup_demo_generate_s", r.startup().demoGenerateSeconds());
      Output.print(out, true, m);
      return DiffuLabCli.OK;
    }
    out.printf("device %s, %d cores; float32 matmul %.1f GFLOP/s%n%n", r.device(),
        Runtime.getRuntime().availableProcessors(), r.matmulGflops());
    out.printf("%-22s %7s %12s %6s %11s %9s %9s%n", "training", "vocab", "tokens/s", "MFU",
        "real tokens", "s/step", "peak RSS");
    row(out, "masked, quick test", r.masked());
    row(out, "CDCD, quick test", r.cdcd());
    row(out, "masked, large vocab", r.largeVocab());
    out.printf("%nsampling (masked, 64 tokens, low-confidence unmasking, top-p 0.9, as the quick"
        + " test samples): %.1f ms/step at batch 1, %.1f ms/step at batch 16%n",
        r.sampleMsPerStepB1(), r.sampleMsPerStepB16());
    out.printf("large vocabulary: 4 samples x 64 tokens x 32 steps in %.2f s%n",
        r.largeVocabSampleSeconds());
    for (BenchReport.Images i : r.images()) {
      out.printf("pictures (U-Net of %s, %,d parameters, batch %d): training %.0f pictures/s"
          + " (MFU %.1f%%), DDIM %.1f ms/step with guidance, a DDIM-50 grid of %d in %.1f s%n",
          i.config(), i.parameters(), i.batch(), i.imagesPerSecond(), 100 * i.mfu(),
          i.sampleMsPerStep(), i.batch(), i.ddim50Seconds());
    }
    for (BenchReport.Task t : r.tasks()) {
      out.printf("prompt → response (%s, %s, %,d parameters): training %.0f tokens/s, %.3f"
          + " s/step; %.1f answers/s with its sampler%n", t.config(), t.method(),
          t.parameters(), t.training().tokensPerSecond(), t.training().secondsPerStep(),
          t.answersPerSecond());
    }
    out.printf("peak resident memory: %.0f MB%n", r.peakRssMb());
    out.printf("start-up: engine ready %.2f s after the JVM started; opening the demo model and"
        + " drawing 4 samples with its sampler %.2f s%n", r.startup().engineReadySeconds(),
        r.startup().demoGenerateSeconds());
    out.flush();
    return DiffuLabCli.OK;
  }

  private static Map<String, Object> training(BenchReport.Training t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vocab", t.vocab());
    m.put("tokens_per_s", t.tokensPerSecond());
    m.put("mfu", t.mfu());
    m.put("real_token_fraction", t.realTokenFraction());
    m.put("s_per_step", t.secondsPerStep());
    m.put("peak_rss_mb", t.peakRssMb());
    return m;
  }

  private static void row(PrintWriter out, String name, BenchReport.Training t) {
    out.printf("%-22s %7d %12.0f %5.1f%% %10.1f%% %9.3f %6.0f MB%n", name, t.vocab(),
        t.tokensPerSecond(), 100 * t.mfu(), 100 * t.realTokenFraction(), t.secondsPerStep(),
        t.peakRssMb());
  }
}
