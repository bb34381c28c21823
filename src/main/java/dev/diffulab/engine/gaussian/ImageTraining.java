package dev.diffulab.engine.gaussian;

import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.ImageManifest;
import dev.diffulab.core.image.ImageFolders;
import dev.diffulab.core.image.ImageSet;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A Gaussian image-diffusion training run, written out: the pictures, a U-Net from the config's
 * seed, steps of random mini-batches (each step's draws seeded by (seed, step)), the learning
 * rate warmed up then decayed by a cosine, a line every {@code log_every} steps with the loss
 * in ten buckets of t (the family's signature curve), and the checkpoint written at the end —
 * also when the run is stopped, before anything else, so an interrupt keeps what was trained.
 */
public final class ImageTraining {
  private ImageTraining() {
  }

  /** The training pictures a config names. */
  public static ImageSet trainingSet(GaussianConfig c, Path dataOverride) {
    GaussianConfig.Data d = c.data();
    ImageSet set;
    if ("folder".equals(d.source())) {
      set = ImageFolders.read(dataOverride != null ? dataOverride : Path.of(d.path()), 28, 28);
    } else {
      Path dir = dataOverride != null
          ? dataOverride
          : d.path() != null
              ? Path.of(d.path())
              : null; // Debian's folder, or the subset DiffuLab ships
      set = dev.diffulab.core.image.FashionMnist.split(dir, true);
    }
    return d.limit() > 0 ? set.first(d.limit()) : set;
  }

  public static dev.diffulab.core.gaussian.ImageRunResult run(GaussianConfig c, ImageSet data,
      Path out, NDManager root,
      Consumer<String> log, BooleanSupplier cancelled) throws IOException {
    if (out == null) {
      return train(c, data, null, root, log, cancelled);
    }
    try (var lock = dev.diffulab.engine.checkpoint.WriteLock.take(out, "--out")) {
      ImageCheckpoint.checkTarget(out);
      return train(c, data, out, root, log, cancelled);
    }
  }

  private static dev.diffulab.core.gaussian.ImageRunResult train(GaussianConfig c,
      ImageSet data, Path out, NDManager root, Consumer<String> log, BooleanSupplier cancelled)
      throws IOException {
    long began = System.nanoTime();
    int hw = data.height() * data.width();
    try (GaussianModel model = new GaussianModel(c, data.height(), data.width(),
        data.classes(), root); GaussianTrainer trainer = new GaussianTrainer(model)) {
      log.accept(String.format("%s: U-Net with %,d parameters on %,d pictures of %d×%d, %d"
          + " classes, T = %d (%s)", c.name(), model.parameterCount(), data.size(),
          data.height(), data.width(), data.classes(), c.diffusion().steps(),
          c.diffusion().schedule()));
      var t = c.train();
      int buckets = 10;
      double[] sum = new double[buckets];
      int[] count = new int[buckets];
      double smooth = Double.NaN;
      double last = Double.NaN;
      int step = 0;
      boolean stopped = false;
      while (step < t.steps()) {
        if (cancelled.getAsBoolean()) {
          stopped = true;
          break;
        }
        Random r = new Random(c.seed() * 1_000_003L + step);
        float[][] x0 = new float[t.batchSize()][];
        int[] labels = new int[t.batchSize()];
        for (int i = 0; i < x0.length; i++) {
          int k = r.nextInt(data.size());
          x0[i] = data.signed(k);
          labels[i] = data.labels()[k];
        }
        double lr = step < t.warmupSteps()
            ? t.learningRate() * (step + 1) / t.warmupSteps()
            : t.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (step
                - t.warmupSteps()) / Math.max(1, t.steps() - t.warmupSteps()))));
        GaussianTrainer.Step s = trainer.step(x0, labels, lr, r);
        step++;
        if (!Float.isFinite(s.loss())) {
          throw new IllegalStateException("the loss became " + s.loss() + " at step " + step
              + "; lower train.learning_rate");
        }
        last = s.loss();
        smooth = Double.isNaN(smooth) ? last : 0.95 * smooth + 0.05 * last;
        for (int i = 0; i < s.t().length; i++) {
          int bucket = Math.min(buckets - 1, (s.t()[i] - 1) * buckets / c.diffusion().steps());
          sum[bucket] += s.perImage()[i];
          count[bucket]++;
        }
        if (step % t.logEvery() == 0 || step == t.steps()) {
          double seconds = (System.nanoTime() - began) / 1e9;
          StringBuilder curve = new StringBuilder();
          for (int b = 0; b < buckets; b++) {
            curve.append(String.format(" %.3f", count[b] == 0 ? Double.NaN : sum[b] / count[b]));
          }
          log.accept(String.format("step %d/%d  loss %.4f  lr %.2e  %.1f images/s  %.0f s"
              + "  loss by t (10 buckets, t → T):%s", step, t.steps(), smooth, lr,
              (double) step * t.batchSize() / seconds, seconds, curve));
          java.util.Arrays.fill(sum, 0);
          java.util.Arrays.fill(count, 0);
        }
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      if (out != null && step > 0) {
        ImageCheckpoint.write(out, model, new ImageManifest(ImageManifest.FORMAT, "images",
            c.name(), step, t.steps(), c.seed(), data.height(), data.width(),
            data.classNames(), c.data().source(), model.parameterCount(), seconds,
            Runtime.getRuntime().availableProcessors() + "-core CPU",
            java.time.Instant.now().toString(), ImageTraining.class.getPackage()
                .getImplementationVersion(),
            smooth));
        log.accept((stopped ? "stopped" : "finished") + " at step " + step + "; checkpoint: "
            + out);
      }
      return new dev.diffulab.core.gaussian.ImageRunResult(step, stopped, smooth, seconds, out);
    }
  }
}
