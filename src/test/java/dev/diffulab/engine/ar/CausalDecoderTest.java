package dev.diffulab.engine.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.core.pairs.PairTokens;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import org.junit.jupiter.api.Test;

/**
 * The autoregressive baseline cannot peek: a token planted at one position changes nothing the
 * decoder computes before it, and changes what comes after; the same transformer without the
 * causal mask does see it. Teacher forcing scores exactly the response's next tokens.
 */
class CausalDecoderTest {
  private static final int VOCAB = 30;

  private static float[][] hidden(DenoiserModel<Denoiser> model, NDManager m, int[] row) {
    float[][] keep = new float[1][row.length];
    java.util.Arrays.fill(keep[0], 1f);
    NDArray h = model.block().hidden(model.store(), m, new int[][]{row}, keep, false);
    long d = h.getShape().get(2);
    float[] flat = h.toFloatArray();
    float[][] out = new float[row.length][];
    for (int i = 0; i < row.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(flat, (int) (i * d), (int) ((i + 1) * d));
    }
    return out;
  }

  @Test
  void aPlantedFutureTokenIsNeverSeenByEarlierPositions() {
    RunConfig c = RunConfig.parse("{\"model\": {\"d_model\": 32, \"layers\": 2, \"heads\": 2,"
        + " \"ffn\": 64, \"seq_len\": 12}}", "test");
    boolean[] special = new boolean[VOCAB];
    int[] row = {7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    int[] planted = row.clone();
    int at = 6;
    planted[at] = 25;
    try (NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> causal = DenoiserModel.causal(c.model(), VOCAB, special, root,
            4);
        DenoiserModel<Denoiser> full = DenoiserModel.masked(c.model(), VOCAB, special, root,
            4);
        NDManager m = root.newSubManager()) {
      assertTrue(causal.block().causal());
      float[][] a = hidden(causal, m, row);
      float[][] b = hidden(causal, m, planted);
      for (int i = 0; i < at; i++) {
        assertArrayEquals(a[i], b[i], 1e-6f, "position " + i + " saw the future");
      }
      for (int i = at; i < row.length; i++) {
        assertTrue(maxDiff(a[i], b[i]) > 1e-4, "position " + i + " reads the planted token");
      }
      float[][] fa = hidden(full, m, row);
      float[][] fb = hidden(full, m, planted);
      assertTrue(maxDiff(fa[0], fb[0]) > 1e-4,
          "without the causal mask the first position does see it (the test can fail)");
    }
  }

  private static double maxDiff(float[] x, float[] y) {
    double d = 0;
    for (int i = 0; i < x.length; i++) {
      d = Math.max(d, Math.abs(x[i] - y[i]));
    }
    return d;
  }

  @Test
  void teacherForcingScoresTheResponsesNextTokensOnly() {
    int sep = 3;
    int[] row = PairTokens.row(new int[]{10, 11}, new int[]{20, 21}, sep, 8);
    // 10 11 SEP 20 21 SEP SEP SEP
    boolean[] never = new boolean[VOCAB];
    never[0] = true;
    MaskedBatch b = TeacherForcing.shifted(
        TrainBatch.unpacked(new int[][]{row}, 0), sep, never, 0);
    assertArrayEquals(row, b.noisy()[0], "the decoder reads the row as it is");
    float[] scored = b.masked()[0];
    // position j predicts token j + 1: from the separator (j = 2) on, the last has no next
    assertArrayEquals(new float[]{0, 0, 1, 1, 1, 1, 1, 0}, scored);
    assertEquals(20, b.clean()[0][2]);
    assertEquals(21, b.clean()[0][3]);
    assertEquals(sep, b.clean()[0][4], "the end of the response is learned");
  }
}
