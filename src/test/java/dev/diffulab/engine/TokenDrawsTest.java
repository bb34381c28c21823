package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.SamplerConfig.TokenChoice;
import dev.diffulab.core.sampling.TokenChooser;
import dev.diffulab.engine.model.TokenDraws;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The device's draws are the host's: for the same uniform numbers, greedy, top-k and nucleus pick
 * the token {@link TokenChooser} picks from the full distribution, and entropy and top five agree
 * — for a small vocabulary, a large one whose nucleus fits the first candidates, and a flat one
 * whose nucleus needs the full sort.
 */
class TokenDrawsTest {

  @ParameterizedTest
  @CsvSource({"GREEDY, 40, 3.0", "TOP_K, 40, 3.0", "NUCLEUS, 40, 3.0", "NUCLEUS, 3000, 6.0",
      "NUCLEUS, 3000, 0.2", "TOP_K, 3000, 0.2", "MIN_P, 40, 3.0", "MIN_P, 3000, 6.0",
      "MIN_P, 3000, 0.2"})
  void deviceDrawsMatchTheHostReference(TokenChoice choice, int vocab, double spread) {
    int rows = 12;
    Random r = new Random(vocab + (long) (spread * 10));
    float[] logits = new float[rows * vocab];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (spread * r.nextGaussian());
    }
    double temperature = 0.8;
    int[] drawRows = {0, 2, 3, 5, 7, 8, 11};
    double[] u = new double[drawRows.length];
    for (int i = 0; i < u.length; i++) {
      u[i] = r.nextDouble();
    }
    TokenDraws.Summary s;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray l = m.create(logits).reshape(rows, vocab);
      s = TokenDraws.summarise(l, new TokenDraws.Rule(choice, 17, 0.9, temperature, 0.1),
          drawRows, u);
    }
    // the host reference: softmax at τ in double, then TokenChooser
    float[] p = new float[logits.length];
    for (int row = 0; row < rows; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < vocab; v++) {
        max = Math.max(max, logits[row * vocab + v] / temperature);
      }
      double z = 0;
      for (int v = 0; v < vocab; v++) {
        z += Math.exp(logits[row * vocab + v] / temperature - max);
      }
      double h = 0;
      for (int v = 0; v < vocab; v++) {
        double q = Math.exp(logits[row * vocab + v] / temperature - max) / z;
        p[row * vocab + v] = (float) q;
        h -= q > 0 ? q * Math.log(q) : 0;
      }
      assertEquals(h, s.entropy()[row], 1e-3);
      assertArrayEquals(TokenChooser.top(p, row * vocab, vocab, 5), s.topIds()[row]);
    }
    TokenChooser chooser = new TokenChooser(choice, 17, 0.9, 0.1);
    for (int d = 0; d < drawRows.length; d++) {
      int expected = chooser.choose(p, drawRows[d] * vocab, vocab, u[d]);
      assertEquals(expected, s.chosen()[d], choice + " row " + drawRows[d] + " u " + u[d]);
      assertEquals(p[drawRows[d] * vocab + expected], s.chosenProb()[d], 1e-5);
    }
  }
}
