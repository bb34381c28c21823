package dev.diffulab.core.metrics;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (as FID, Heusel et al.
 * 2017, measures in Inception features; DiffuLab in its own classifier's):
 * {@code |μ₁ − μ₂|² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^½)}. The trace of the matrix square root is taken
 * as Σ √λ over the eigenvalues of the symmetric {@code Σ₁^½ Σ₂ Σ₁^½}, which are those of
 * {@code Σ₁ Σ₂}; eigenvalues by cyclic Jacobi rotations, so no linear-algebra library is needed.
 */
public final class FrechetDistance {
  private FrechetDistance() {
  }

  /** The distance between the feature sets {@code a} and {@code b} (rows are samples). */
  public static double between(float[][] a, float[][] b) {
    double[] mu1 = mean(a);
    double[] mu2 = mean(b);
    double[][] s1 = covariance(a, mu1);
    double[][] s2 = covariance(b, mu2);
    return of(mu1, s1, mu2, s2);
  }

  /** The distance between N(μ₁, Σ₁) and N(μ₂, Σ₂). */
  public static double of(double[] mu1, double[][] s1, double[] mu2, double[][] s2) {
    int d = mu1.length;
    double meanPart = 0;
    for (int i = 0; i < d; i++) {
      meanPart += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
    }
    double[][] root1 = sqrtSymmetric(s1);
    double[][] inner = multiply(multiply(root1, s2), root1);
    symmetrise(inner);
    double[] lambda = eigenvalues(inner);
    double traceRoot = 0;
    for (double l : lambda) {
      traceRoot += Math.sqrt(Math.max(0, l));
    }
    double trace = 0;
    for (int i = 0; i < d; i++) {
      trace += s1[i][i] + s2[i][i];
    }
    return Math.max(0, meanPart + trace - 2 * traceRoot);
  }

  static double[] mean(float[][] x) {
    int d = x[0].length;
    double[] mu = new double[d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        mu[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= x.length;
    }
    return mu;
  }

  /** The unbiased sample covariance. */
  static double[][] covariance(float[][] x, double[] mu) {
    int d = mu.length;
    double[][] c = new double[d][d];
    for (float[] row : x) {
      for (int i = 0; i < d; i++) {
        double di = row[i] - mu[i];
        for (int j = i; j < d; j++) {
          c[i][j] += di * (row[j] - mu[j]);
        }
      }
    }
    double n = Math.max(1, x.length - 1);
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        c[i][j] /= n;
        c[j][i] = c[i][j];
      }
    }
    return c;
  }

  /** The square root of a symmetric positive semi-definite matrix (negative eigenvalues as 0). */
  static double[][] sqrtSymmetric(double[][] a) {
    int d = a.length;
    double[][] v = new double[d][d];
    double[] lambda = jacobi(copy(a), v);
    double[][] out = new double[d][d];
    for (int k = 0; k < d; k++) {
      double r = Math.sqrt(Math.max(0, lambda[k]));
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          out[i][j] += v[i][k] * r * v[j][k];
        }
      }
    }
    return out;
  }

  static double[] eigenvalues(double[][] a) {
    return jacobi(copy(a), new double[a.length][a.length]);
  }

  /**
   * Cyclic Jacobi: rotates {@code a} (destroyed) to diagonal form; {@code v} receives the
   * eigenvectors as columns. Returns the eigenvalues.
   */
  private static double[] jacobi(double[][] a, double[][] v) {
    int d = a.length;
    for (int i = 0; i < d; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double scale = 0;
      for (int i = 0; i < d; i++) {
        scale += a[i][i] * a[i][i];
        for (int j = i + 1; j < d; j++) {
          off += a[i][j] * a[i][j];
        }
      }
      if (off <= 1e-22 * Math.max(scale, 1e-300)) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < d; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < d; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < d; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    double[] lambda = new double[d];
    for (int i = 0; i < d; i++) {
      lambda[i] = a[i][i];
    }
    return lambda;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int d = a.length;
    double[][] out = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) {
        double aik = a[i][k];
        if (aik == 0) {
          continue;
        }
        for (int j = 0; j < d; j++) {
          out[i][j] += aik * b[k][j];
        }
      }
    }
    return out;
  }

  private static void symmetrise(double[][] a) {
    for (int i = 0; i < a.length; i++) {
      for (int j = i + 1; j < a.length; j++) {
        double m = (a[i][j] + a[j][i]) / 2;
        a[i][j] = m;
        a[j][i] = m;
      }
    }
  }

  private static double[][] copy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }
}
