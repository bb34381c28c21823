package dev.diffulab.core.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bound's terms against closed forms and limits they must meet. */
class VariationalBoundTest {
  private final NoiseSchedule linear = NoiseSchedule.linear(1000, 1e-4, 0.02);

  @Test
  void theNormalCdfMatchesKnownValues() {
    assertEquals(0.5, VariationalBound.normalCdf(0), 1e-7);
    assertEquals(0.8413447, VariationalBound.normalCdf(1), 1e-6);
    assertEquals(0.0227501, VariationalBound.normalCdf(-2), 1e-6);
    assertEquals(0.9986501, VariationalBound.normalCdf(3), 1e-6);
  }

  @Test
  void thePriorTermIsTheGaussianKlInClosedForm() {
    float[] x0 = {0f, 1f, -0.5f};
    double ab = linear.alphaBar(1000);
    double expected = 0;
    for (float x : x0) {
      expected += 0.5 * ((1 - ab) + ab * x * x - 1 - Math.log(1 - ab));
    }
    assertEquals(expected, VariationalBound.prior(x0, linear), 1e-12);
    assertTrue(VariationalBound.prior(x0, linear) < 1e-3, "T = 1000 leaves almost no signal");
  }

  @Test
  void aPerfectGuessCostsNothingAndAWrongOneGrowsWithItsSquare() {
    float[] x0 = {0.2f, -0.4f};
    assertEquals(0.0, VariationalBound.step(x0, x0.clone(), 500, linear), 0.0);
    float[] off = {0.3f, -0.4f};
    float[] further = {0.4f, -0.4f};
    double one = VariationalBound.step(x0, off, 500, linear);
    double c0 = linear.posteriorMeanWeights(500)[0];
    assertEquals(c0 * c0 * 0.01 / (2 * linear.posteriorVariance(500)), one, 1e-9);
    assertEquals(4 * one, VariationalBound.step(x0, further, 500, linear), 1e-9);
  }

  @Test
  void theDecoderIsANegativeLogProbabilityOfTheRightBin() {
    float[] x0 = {-1f, 0f, 1f};
    // the mean on the picture, σ = √β₁ = 0.01: the outer bins keep Φ(h/σ) (h half a bin), the
    // middle one Φ(h/σ) − Φ(−h/σ)
    double z = (1.0 / 255) / 0.01;
    double expected = -2 * Math.log(VariationalBound.normalCdf(z))
        - Math.log(2 * VariationalBound.normalCdf(z) - 1);
    assertEquals(expected, VariationalBound.decoder(x0, x0.clone(), linear), 1e-6);
    // the mean far off: a middle bin keeps width / (σ√2π)-ish mass, far less
    float[] wrong = {1f, 1f, -1f};
    assertTrue(VariationalBound.decoder(x0, wrong, linear) > 20 * expected);
    assertEquals(1.0, VariationalBound.bitsPerDim(Math.log(2) * 784, 784), 1e-12);
  }
}
