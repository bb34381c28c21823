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
  void chartsFollowUntilTheUserZoomsAndFitResumesFollowing() {
    FollowState f = new FollowState();
    assertTrue(f.following());
    f.userMovedView();
    assertFalse(f.following());
    f.fit();
    assertTrue(f.following());
  }
}
