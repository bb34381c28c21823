package dev.diffulab.engine.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.InputException;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.schedule.LearningRate;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.core.snapshot.TrainProgress;
import dev.diffulab.engine.StepContext;
import dev.diffulab.engine.train.TrainingRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A latent run's learning rate over its two stages: one schedule over the whole run (the
 * denoiser warming up again after the switch, as before the setting existed), or a schedule of
 * each stage's own, so the autoencoder is frozen after its rate has decayed — and the training
 * loop steps at the rate the family gives.
 */
class StageScheduleTest {
  private static final LearningRate RUN = new LearningRate(1e-3, 100, 10_000);

  @Test
  void sharedIsTheRunsScheduleWithTheDenoisersWarmUp() {
    for (int step : new int[]{0, 50, 99, 3_000, 5_999}) {
      assertEquals(RUN.at(step), LatentFamily.stageRate(RUN, step, 6_000, false), "" + step);
    }
    assertEquals(RUN.at(6_000) / LatentFamily.STAGE_WARMUP,
        LatentFamily.stageRate(RUN, 6_000, 6_000, false), 1e-15);
    assertEquals(RUN.at(6_000 + LatentFamily.STAGE_WARMUP),
        LatentFamily.stageRate(RUN, 6_000 + LatentFamily.STAGE_WARMUP, 6_000, false));
    assertEquals(RUN.at(9_999), LatentFamily.stageRate(RUN, 9_999, 6_000, false));
  }

  @Test
  void separateDecaysWithinEachStage() {
    int first = 6_000;
    // the autoencoder's stage: the same warm-up, then down to a tenth of the peak at its end
    assertEquals(RUN.at(0), LatentFamily.stageRate(RUN, 0, first, true));
    assertEquals(RUN.at(99), LatentFamily.stageRate(RUN, 99, first, true));
    double lastOfFirst = LatentFamily.stageRate(RUN, first - 1, first, true);
    assertEquals(1e-4, lastOfFirst, 1e-7, "a tenth of the peak as the autoencoder is frozen");
    assertTrue(RUN.at(first - 1) > 4 * lastOfFirst, "where the shared schedule is still high");
    double middle = LatentFamily.stageRate(RUN, first / 2, first, true);
    assertTrue(middle < RUN.at(first / 2), "decaying faster than the run's schedule");
    // the denoiser's stage: warm-up again, the peak, then down to a tenth at the run's end
    assertEquals(1e-3 / LatentFamily.STAGE_WARMUP, LatentFamily.stageRate(RUN, first, first, true),
        1e-15);
    assertEquals(1e-3, LatentFamily.stageRate(RUN, first + LatentFamily.STAGE_WARMUP, first, true),
        1e-12);
    assertEquals(1e-4, LatentFamily.stageRate(RUN, 9_999, first, true), 1e-7);
  }

  @Test
  void theSettingIsReadWrittenAndCheckedByKey() {
    RunConfig c = RunConfig.parse(config(24, 12, "separate"), "test");
    assertTrue(c.autoencoder().separateSchedules());
    assertTrue(RunConfig.parse(c.toJson(), "again").autoencoder().separateSchedules());
    assertEquals("shared", RunConfig.parse(config(24, 12, "shared"), "test").autoencoder()
        .stageSchedules());
    InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
        () -> RunConfig.parse(config(24, 12, "restart"), "test"));
    assertTrue(e.getMessage().contains("autoencoder.stage_schedules"), e.getMessage());
  }

  @Test
  void theTrainingLoopStepsAtTheStagesRate(@TempDir Path dir) throws Exception {
    RunConfig c = RunConfig.parse(config(24, 12, "separate"), "test");
    LearningRate run = new LearningRate(c.train().learningRate(), c.train().warmupSteps(),
        c.train().steps());
    try (NDManager root = NDManager.newBaseManager()) {
      Rates ctx = new Rates(root);
      new TrainingRun(new TrainingRun.Request("s", c, dir.resolve("s"), null), ctx).run();
      assertEquals(24, ctx.rates.size());
      for (int step = 1; step <= 24; step++) {
        // a progress report after step k carries the rate step k was taken at
        assertEquals(LatentFamily.stageRate(run, step - 1, 12, true), ctx.rates.get(step),
            1e-12, "step " + step);
      }
      assertTrue(ctx.rates.get(12) < 0.2 * c.train().learningRate(),
          "the autoencoder's last step at its stage's decayed rate: " + ctx.rates.get(12));
    }
  }

  private static String config(int steps, int first, String stages) {
    return "{\"name\": \"stages\", \"method\": \"latent\", \"seed\": 5,"
        + " \"model\": {\"d_model\": 32, \"layers\": 1, \"heads\": 2, \"ffn\": 64,"
        + " \"seq_len\": 64},"
        + " \"data\": {\"tinytales_stories\": 80, \"validation_fraction\": 0.1},"
        + " \"train\": {\"steps\": " + steps + ", \"batch_size\": 8, \"learning_rate\": 0.003,"
        + " \"warmup_steps\": 2, \"eval_every\": 0, \"sample_every\": 0,"
        + " \"checkpoint_every\": 0},"
        + " \"autoencoder\": {\"latents\": 4, \"latent_dim\": 8, \"first_steps\": " + first
        + ", \"diffusion_steps\": 100, \"stage_schedules\": \"" + stages + "\"}}";
  }

  /** Keeps the learning rate each progress report carries. */
  private static final class Rates extends StepContext {
    final Map<Integer, Double> rates = new TreeMap<>();

    Rates(NDManager manager) {
      super(manager, 0);
    }

    @Override
    public void publish(Snapshot snapshot) {
      super.publish(snapshot);
      if (snapshot instanceof TrainProgress p && p.state() == TrainProgress.State.RUNNING
          && p.step() > 0 && p.learningRate() > 0) {
        rates.put(p.step(), p.learningRate());
      }
    }
  }
}
