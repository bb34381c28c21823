package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.chart.FollowState;
import dev.diffulab.ui.chart.Smoother;
import org.junit.jupiter.api.Test;

/** The Train workspace's chart logic, without the FX toolkit. */
class TrainViewModelLogicTest {
  @Test
  void biasCorrectedSmoothingStartsAtTheFirstValueAndTracksAConstant() {
    double[] s = Smoother.smooth(new double[]{5, 5, 5, 5}, 0.9);
    for (double v : s) {
      assertEquals(5.0, v, 1e-12, "an EMA without bias correction would start near 0.5");
    }
    double[] step = Smoother.smooth(new double[]{0, 0, 0, 10, 10, 10, 10, 10, 10, 10}, 0.5);
    assertTrue(step[3] > 0 && step[3] < 10);
    assertTrue(step[9] > 9.5, "catches up: " + step[9]);
    assertEquals(0.0, Smoother.smooth(new double[]{0, 3}, 0.0)[0]);
    assertEquals(3.0, Smoother.smooth(new double[]{0, 3}, 0.0)[1], "weight 0 is raw");
  }

  @Test
  void theRunListKeepsEveryRunNewestFirstWithItsLossCurveAndMetrics() {
    dev.diffulab.ui.train.RunHistory h = new dev.diffulab.ui.train.RunHistory();
    h.startRun();
    h.recordLoss(1, 5.0);
    h.recordLoss(2, 4.0);
    h.finish("a", "quick-test", "masked", "finished", 2,
        java.util.Map.of("final_loss", 4.0, "val_masked_ce_nats", 3.5),
        java.nio.file.Path.of("runs/a"));
    h.startRun();
    h.recordLoss(1, 6.0);
    h.finish("b", "quick-test-cdcd", "cdcd", "stopped", 1, java.util.Map.of(), null);
    var runs = h.runs();
    assertEquals(java.util.List.of("b", "a"), runs.stream().map(r -> r.id()).toList());
    assertEquals(2, runs.get(1).steps().length);
    assertEquals(4.0, runs.get(1).losses()[1]);
    assertEquals(1, runs.get(0).losses().length, "a new run does not inherit old points");
    assertEquals("quick-test · masked · finished at 2 · loss 4.000 · val CE 3.500",
        runs.get(1).describe());
    assertEquals(String.join("\n", "run a", "checkpoint: " + java.nio.file.Path.of("runs/a"),
        "final_loss: 4.000", "val_masked_ce_nats: 3.500"), runs.get(1).details());
    assertTrue(runs.get(0).details().contains("checkpoint: none"));
    assertEquals(2, h.curve("a")[0].length, "a finished run's curve");
    h.startRun();
    h.recordLoss(1, 7.0);
    assertEquals(7.0, h.curve("c")[1][0], "the curve so far of the run in progress");
  }

  @Test
  void chartsFollowUntilTheUserZoomsAndFitResumesFollowing() {
    FollowState f = new FollowState();
    assertTrue(f.following());
    f.userMovedView();
    assertFalse(f.following());
    f.fit();
    assertTrue(f.following());
  }
}
