package dev.diffulab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Fréchet distance on inputs whose answer is known in closed form. */
class FrechetDistanceTest {
  @Test
  void diagonalGaussiansGiveTheSumOfSquaredRootDifferences() {
    double[] mu1 = {0, 1, 2};
    double[] mu2 = {1, 1, 0};
    double[][] s1 = {{4, 0, 0}, {0, 1, 0}, {0, 0, 9}};
    double[][] s2 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 4}};
    // |Δμ|² = 1 + 0 + 4; Σ (√a − √b)² = 1 + 0 + 1
    assertEquals(7.0, FrechetDistance.of(mu1, s1, mu2, s2), 1e-9);
  }

  @Test
  void rotatedCovariancesAgreeWithTheirRotationFreeDistance() {
    // a full (non-diagonal) pair: Σ₂ = R Σ₁ Rᵀ with the same eigenvalues, Σ₁ = diag(4, 1)
    double c = Math.cos(0.7);
    double s = Math.sin(0.7);
    double[][] s1 = {{4, 0}, {0, 1}};
    double[][] s2 = {{4 * c * c + s * s, (4 - 1) * c * s}, {(4 - 1) * c * s, 4 * s * s + c * c}};
    double fd = FrechetDistance.of(new double[2], s1, new double[2], s2);
    // Tr(Σ₁ + Σ₂) = 10; √λ of Σ₁Σ₂ computed independently: λ from the 2×2 characteristic
    double a = s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0];
    double b = s1[0][0] * s2[0][1] + s1[0][1] * s2[1][1];
    double cc = s1[1][0] * s2[0][0] + s1[1][1] * s2[1][0];
    double d = s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1];
    double tr = a + d;
    double det = a * d - b * cc;
    double disc = Math.sqrt(tr * tr / 4 - det);
    double roots = Math.sqrt(tr / 2 + disc) + Math.sqrt(tr / 2 - disc);
    assertEquals(10 - 2 * roots, fd, 1e-9);
    assertTrue(fd > 0.1, "a rotation moves the distribution: " + fd);
  }

  @Test
  void aSampleAgainstItselfIsZeroAndAShiftIsItsSquaredLength() {
    Random r = new Random(3);
    float[][] x = new float[400][16];
    float[][] shifted = new float[400][16];
    for (int i = 0; i < 400; i++) {
      for (int j = 0; j < 16; j++) {
        x[i][j] = (float) (r.nextGaussian() * (1 + j % 3));
        shifted[i][j] = x[i][j] + (j == 5 ? 2f : 0f);
      }
    }
    assertEquals(0.0, FrechetDistance.between(x, x), 1e-6);
    assertEquals(4.0, FrechetDistance.between(x, shifted), 1e-4);
  }
}
