package dev.diffulab.core.snapshot;

/**
 * What {@code diffulab bench} measured in one run on one device: the engine's float32 matmul
 * rate, training throughput at the quick-test shape (masked, CDCD) and at a large vocabulary,
 * sampling time per step, peak memory.
 */
public record BenchReport(String device, double matmulGflops, Training masked, Training cdcd,
    Training largeVocab, double sampleMsPerStepB1, double sampleMsPerStepB16,
    double largeVocabSampleSeconds, double peakRssMb, Startup startup,
    java.util.List<Images> images, java.util.List<Task> tasks) {

  /**
   * A prompt → response method at a shipped task config's shape ({@code config}): training rate
   * and how many held-out-style prompts it answers a second with the config's sampler (untrained
   * weights answer at the same cost), so a diffusion family and the autoregressive baseline of
   * the same size are timed side by side.
   */
  public record Task(String config, String method, long parameters, Training training,
      double answersPerSecond) {
  }

  /**
   * The image family at the shape of a shipped config ({@code config}: a U-Net on 28 × 28
   * pictures), batch 64: training pictures a second and their model-FLOP utilisation (three
   * forward passes' multiply-adds against the matmul rate), DDIM milliseconds a step with the
   * config's guidance (two passes a step), and the seconds a DDIM-50 grid of 64 takes.
   */
  public record Images(String config, long parameters, int batch, double imagesPerSecond,
      double forwardGflopsPerImage, double mfu, double sampleMsPerStep, double ddim50Seconds) {
  }

  /**
   * What a user waits for before the first answer, as the launcher runs it: seconds from the
   * JVM's start to an engine with PyTorch loaded, and to open the shipped masked demo and draw
   * four samples with its own sampler (NaN when this build ships no demo).
   */
  public record Startup(double engineReadySeconds, double demoGenerateSeconds) {
  }

  /** One training shape's measurement. */
  public record Training(String method, int vocab, double tokensPerSecond, double mfu,
      double realTokenFraction, double secondsPerStep, double peakRssMb) {
  }
}
