package dev.diffulab.engine.masked;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The model's own guesses replace about half the blanks; targets and the rest stay. */
class ScheduledSamplingTest {
  @Test
  void halfTheBlanksShowTheModelsGuessAndEverythingElseIsKept() {
    RunConfig c = RunConfig.parse("{\"model\": {\"d_model\": 32, \"layers\": 1, \"heads\": 2,"
        + " \"ffn\": 64, \"seq_len\": 40}}", "test");
    int vocab = 20;
    int mask = 4;
    boolean[] special = new boolean[vocab];
    for (int i = 0; i < 5; i++) {
      special[i] = true;
    }
    int[][] rows = new int[6][40];
    Random r = new Random(1);
    for (int[] row : rows) {
      for (int j = 0; j < row.length; j++) {
        row[j] = 5 + r.nextInt(vocab - 5);
      }
    }
    MaskedBatch b = new MaskingPolicy(c.masking(), 0, mask, special).corrupt(rows,
        new float[]{0.6f, 0.6f, 0.6f, 0.6f, 0.6f, 0.6f}, new Random(2));
    try (NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), vocab, special, root,
            3)) {
      MaskedBatch own = ScheduledSampling.withOwnGuesses(model, b, new Random(5));
      int blanks = 0;
      int shown = 0;
      for (int i = 0; i < rows.length; i++) {
        assertArrayEquals(b.clean()[i], own.clean()[i], "targets are the truth");
        assertArrayEquals(b.masked()[i], own.masked()[i], "the same positions are scored");
        for (int j = 0; j < 40; j++) {
          if (b.masked()[i][j] == 0) {
            assertEquals(b.noisy()[i][j], own.noisy()[i][j]);
          } else {
            blanks++;
            if (own.noisy()[i][j] != mask) {
              shown++;
              assertTrue(own.noisy()[i][j] >= 5, "a guess is never a special token");
            }
          }
        }
      }
      assertTrue(shown > 0.35 * blanks && shown < 0.65 * blanks, shown + " of " + blanks);
    }
  }
}
