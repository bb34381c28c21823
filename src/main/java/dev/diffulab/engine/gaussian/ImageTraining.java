package dev.diffulab.engine.gaussian;

import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.ImageManifest;
import dev.diffulab.core.gaussian.ImagePreview;
import dev.diffulab.core.gaussian.ImageProgress;
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
    return run(c, data, out, root, log, cancelled, null);
  }

  /**
   * Trains {@code c} on {@code data} into {@code out}; with {@code resume} (a checkpoint written
   * by a run of the same model with {@code train.checkpoint_every} or at its end) it goes on
   * from that checkpoint's step, its weights, weight average and optimiser moments restored, so
   * the steps after it are those the uninterrupted run would have taken.
   */
  public static dev.diffulab.core.gaussian.ImageRunResult run(GaussianConfig c, ImageSet data,
      Path out, NDManager root, Consumer<String> log, BooleanSupplier cancelled,
      ImageCheckpoint.Contents resume) throws IOException {
    return run(c, data, out, root, log, cancelled, resume, null);
  }

  /**
   * What a window hears of a run, on the engine thread: every step's progress, and every
   * {@code previewEvery} steps (and at the end) pictures from the current model.
   */
  public record Watch(Consumer<ImageProgress> progress, Consumer<ImagePreview> preview,
      int previewEvery, ImagePreviews previews) {
  }

  /** As {@link #run(GaussianConfig, ImageSet, Path, NDManager, Consumer, BooleanSupplier,
   * ImageCheckpoint.Contents)}, telling {@code watch} (may be null) as it goes. */
  public static dev.diffulab.core.gaussian.ImageRunResult run(GaussianConfig c, ImageSet data,
      Path out, NDManager root, Consumer<String> log, BooleanSupplier cancelled,
      ImageCheckpoint.Contents resume, Watch watch) throws IOException {
    if (out == null) {
      return train(c, data, null, root, log, cancelled, resume, watch);
    }
    try (var _ = dev.diffulab.engine.checkpoint.WriteLock.take(out, "--out")) {
      ImageCheckpoint.checkTarget(out);
      return train(c, data, out, root, log, cancelled, resume, watch);
    }
  }

  private static dev.diffulab.core.gaussian.ImageRunResult train(GaussianConfig c,
      ImageSet data, Path out, NDManager root, Consumer<String> log, BooleanSupplier cancelled,
      ImageCheckpoint.Contents resume, Watch watch) throws IOException {
    long began = System.nanoTime();
    double earlierSeconds = 0;
    double decay = c.train().ema();
    try (GaussianModel model = new GaussianModel(c, data.height(), data.width(),
        data.classes(), root);
        GaussianTrainer trainer = new GaussianTrainer(model);
        GaussianModel average = decay > 0
            ? new GaussianModel(c, data.height(), data.width(), data.classes(), root)
            : null) {
      int step = 0;
      if (resume != null) {
        ImageCheckpoint.restore(resume, model, average, trainer.optimizer());
        step = resume.manifest().step();
        earlierSeconds = resume.manifest().trainSeconds();
        if (step >= c.train().steps()) {
          throw new dev.diffulab.core.InputException("checkpoint " + resume.dir() + " is at step "
              + step + ", the run's end (train.steps " + c.train().steps() + "); give --steps"
              + " to go further");
        }
      } else if (average != null) {
        WeightAverage.copy(model, average);
      }
      log.accept(String.format("%s: %s with %,d parameters on %,d pictures of %d×%d, %d"
          + " classes, T = %d (%s)%s%s", c.name(),
          c.model().transformer()
              ? "patch transformer (DiT)"
              : "U-Net",
          model.parameterCount(), data.size(),
          data.height(), data.width(), data.classes(), c.diffusion().steps(),
          c.diffusion().schedule(), average != null ? ", weight average " + decay : "",
          resume != null ? ", going on from step " + step : ""));
      var t = c.train();
      if (watch != null && watch.previewEvery() > 0 && step == 0) {
        // the untrained model's pictures: where the quality curves start
        watch.preview().accept(watch.previews().draw(average != null ? average : model, 0,
            c.sampler(), data.classNames(), c.seed()));
      }
      int buckets = 10;
      double[] sum = new double[buckets];
      int[] count = new int[buckets];
      double smooth = resume != null ? resume.manifest().finalLoss() : Double.NaN;
      double last;
      int firstStep = step;
      boolean stopped = false;
      while (step < t.steps()) {
        if (cancelled.getAsBoolean()) {
          stopped = true;
          break;
        }
        double lr = learningRate(t, step);
        // the step's generator is seeded by (seed, step), so a resumed run draws the same batch;
        // a pass that comes out non-finite is recomputed inside GaussianTrainer.step
        Random r = new Random(c.seed() * 1_000_003L + step);
        float[][] x0 = new float[t.batchSize()][];
        int[] labels = new int[t.batchSize()];
        for (int i = 0; i < x0.length; i++) {
          int k = r.nextInt(data.size());
          x0[i] = data.signed(k);
          labels[i] = data.labels()[k];
        }
        GaussianTrainer.Step s = trainer.step(x0, labels, lr, r);
        step++;
        if (!Float.isFinite(s.loss())) {
          throw new IllegalStateException("the loss became " + s.loss() + " at step " + step
              + " (non-finite weights: " + nonFinite(model) + "); lower"
              + " train.learning_rate");
        }
        if (average != null) {
          WeightAverage.update(model, average, Math.min(decay, (1.0 + step) / (10.0 + step)));
        }
        last = s.loss();
        smooth = Double.isNaN(smooth) ? last : 0.95 * smooth + 0.05 * last;
        for (int i = 0; i < s.t().length; i++) {
          int bucket = Math.min(buckets - 1, (s.t()[i] - 1) * buckets / c.diffusion().steps());
          sum[bucket] += s.perImage()[i];
          count[bucket]++;
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        double speed = (double) (step - firstStep) * t.batchSize() / seconds;
        boolean logged = step % t.logEvery() == 0 || step == t.steps();
        double[] byT = new double[logged ? buckets : 0];
        if (logged) {
          for (int b = 0; b < buckets; b++) {
            byT[b] = count[b] == 0 ? Double.NaN : sum[b] / count[b];
          }
        }
        if (watch != null) {
          watch.progress().accept(new ImageProgress(step, t.steps(), smooth, lr, speed,
              earlierSeconds + seconds, byT));
          if (watch.previewEvery() > 0 && step % watch.previewEvery() == 0
              && step < t.steps()) {
            watch.preview().accept(watch.previews().draw(average != null ? average : model,
                step, c.sampler(), data.classNames(), c.seed()));
          }
        }
        if (logged) {
          StringBuilder curve = new StringBuilder();
          for (int b = 0; b < buckets; b++) {
            curve.append(String.format(" %.3f", byT[b]));
          }
          log.accept(String.format("step %d/%d  loss %.4f  lr %.2e  %.1f images/s  %.0f s"
              + "  loss by t (10 buckets, t → T):%s", step, t.steps(), smooth, lr,
              speed, earlierSeconds + seconds, curve));
          java.util.Arrays.fill(sum, 0);
          java.util.Arrays.fill(count, 0);
        }
        if (out != null && t.checkpointEvery() > 0 && step % t.checkpointEvery() == 0
            && step < t.steps()) {
          write(out, c, data, model, average, trainer, step, earlierSeconds + seconds, smooth);
          log.accept("checkpoint at step " + step + ": " + out);
        }
      }
      double seconds = earlierSeconds + (System.nanoTime() - began) / 1e9;
      if (out != null && step > firstStep) {
        write(out, c, data, model, average, trainer, step, seconds, smooth);
        log.accept((stopped ? "stopped" : "finished") + " at step " + step + "; checkpoint: "
            + out);
      }
      // the last pictures come after the checkpoint, so nothing trained waits on them
      if (watch != null && watch.previewEvery() > 0 && !stopped && step > firstStep) {
        watch.preview().accept(watch.previews().draw(average != null ? average : model, step,
            c.sampler(), data.classNames(), c.seed()));
      }
      return new dev.diffulab.core.gaussian.ImageRunResult(step, stopped, smooth, seconds, out);
    }
  }

  /** How many of the model's weights are NaN or infinite. */
  private static int nonFinite(GaussianModel model) {
    int bad = 0;
    for (var p : model.parameters()) {
      for (float v : p.getArray().toFloatArray()) {
        bad += Float.isFinite(v) ? 0 : 1;
      }
    }
    return bad;
  }

  /** Warm-up, then a cosine decay to a tenth of the peak at the last step. */
  static double learningRate(GaussianConfig.Train t, int step) {
    return step < t.warmupSteps()
        ? t.learningRate() * (step + 1) / t.warmupSteps()
        : t.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (step
            - t.warmupSteps()) / Math.max(1, t.steps() - t.warmupSteps()))));
  }

  private static void write(Path out, GaussianConfig c, ImageSet data, GaussianModel model,
      GaussianModel average, GaussianTrainer trainer, int step, double seconds, double loss)
      throws IOException {
    ImageCheckpoint.write(out, model, average, trainer.optimizer(), new ImageManifest(
        ImageManifest.FORMAT, "images", c.name(), step, c.train().steps(), c.seed(),
        data.height(), data.width(), data.classNames(), c.data().source(),
        model.parameterCount(), seconds,
        dev.diffulab.engine.runtime.Hardware.of(model.manager().getDevice()),
        java.time.Instant.now().toString(),
        ImageTraining.class.getPackage().getImplementationVersion(), loss,
        trainer.optimizer().updates()));
  }
}
