package dev.diffulab.core.gaussian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ᾱ, β̃ and DDIM's σ against their closed forms, for both schedules. */
class NoiseScheduleTest {
  @Test
  void linearBetaRunsFromStartToEndAndAlphaBarIsTheProduct() {
    NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
    assertEquals(1e-4, s.beta(1), 1e-15);
    assertEquals(0.02, s.beta(1000), 1e-15);
    double product = 1;
    for (int t = 1; t <= 1000; t++) {
      product *= 1 - s.beta(t);
      assertEquals(product, s.alphaBar(t), 1e-12);
    }
    // DDPM's T = 1000 linear schedule ends with almost no signal: ᾱ_T ≈ 4.04e-5
    assertEquals(4.04e-5, s.alphaBar(1000), 0.05e-5);
    assertEquals(1.0, s.alphaBar(0));
  }

  @Test
  void cosineAlphaBarFollowsItsClosedForm() {
    int steps = 300;
    NoiseSchedule s = NoiseSchedule.cosine(steps);
    double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
    for (int t = 1; t < steps; t++) {
      double f = Math.pow(Math.cos(((double) t / steps + 0.008) / 1.008 * Math.PI / 2), 2);
      assertEquals(f / f0, s.alphaBar(t), 1e-9, "t " + t);
    }
    assertEquals(0.999, s.beta(steps), 1e-12, "the last β is clipped");
    for (int t = 2; t <= steps; t++) {
      assertTrue(s.snr(t) < s.snr(t - 1), "SNR falls");
    }
  }

  @Test
  void posteriorVarianceAndMeanMatchTheirClosedForms() {
    for (NoiseSchedule s : new NoiseSchedule[]{NoiseSchedule.linear(50, 1e-3, 0.1),
        NoiseSchedule.cosine(50)}) {
      assertEquals(0.0, s.posteriorVariance(1), 1e-15, "no noise is added on the last step");
      for (int t = 2; t <= 50; t++) {
        double ab = s.alphaBar(t);
        double abPrev = s.alphaBar(t - 1);
        double expected = s.beta(t) * (1 - abPrev) / (1 - ab);
        assertEquals(expected, s.posteriorVariance(t), 1e-12);
        // the posterior mean of x_{t-1} given x_t = √ᾱ_t x₀ (no noise) is √ᾱ_{t−1} x₀
        double[] w = s.posteriorMeanWeights(t);
        assertEquals(Math.sqrt(abPrev), w[0] + w[1] * Math.sqrt(ab), 1e-12);
        // DDIM with η = 1 on consecutive steps is DDPM's posterior noise
        assertEquals(Math.sqrt(expected), s.ddimSigma(t, t - 1, 1.0), 1e-12);
        assertEquals(0.0, s.ddimSigma(t, t - 1, 0.0));
      }
    }
  }

  @Test
  void samplingStepsRunFromTDownToOne() {
    NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
    int[] fifty = s.samplingSteps(50);
    assertEquals(50, fifty.length);
    assertEquals(1000, fifty[0]);
    assertEquals(1, fifty[49]);
    for (int i = 1; i < fifty.length; i++) {
      assertTrue(fifty[i] < fifty[i - 1]);
    }
    int[] all = NoiseSchedule.linear(5, 1e-4, 0.02).samplingSteps(5);
    assertArrayEquals(new int[]{5, 4, 3, 2, 1}, all);
    assertEquals(1000, s.samplingSteps(5000).length, "never more steps than T");
    assertEquals(500, s.stepAt(0.5));
    assertEquals(1, s.stepAt(0.0));
  }
}
