package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.core.tinytales.TinyTalesGenerator;
import dev.diffulab.engine.cdcd.CdcdDenoiser;
import dev.diffulab.engine.cdcd.CdcdSampler;
import dev.diffulab.engine.cdcd.CdcdTrainer;
import dev.diffulab.engine.masked.MaskedSampler;
import dev.diffulab.engine.masked.MaskedTrainer;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training and sampling leave nothing behind on the device: the number of live arrays under the
 * model's manager (parameters, gradients, AdamW's moments) is the same after 50 more training
 * steps and after 20 more sampling runs, for both families. A leak of one array a step would
 * grow a long run's memory without bound.
 */
class LeakTest {
  private static final String SHAPE = "\"model\": {\"d_model\": 32, \"layers\": 1, \"heads\": 2,"
      + " \"ffn\": 64, \"seq_len\": 32}, \"train\": {\"learning_rate\": 0.003},"
      + " \"sampler\": {\"steps\": 8}";

  private static int[][] batch(TextTokenizer tok) {
    int[][] b = new int[8][32];
    for (int i = 0; i < 8; i++) {
      Arrays.fill(b[i], tok.padId());
      int[] ids = tok.encode(new TinyTalesGenerator(4).story(i));
      System.arraycopy(ids, 0, b[i], 0, Math.min(32, ids.length));
    }
    return b;
  }

  private static int live(NDManager m) {
    return m.getManagedArrays().size();
  }

  @Test
  void maskedTrainingAndSamplingKeepTheArrayCountConstant() {
    RunConfig c = RunConfig.parse("{" + SHAPE + "}", "test");
    try (TextTokenizer tok = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), tok.vocabSize(),
            tok.specialMask(),
            root, 1);
        MaskedTrainer trainer = new MaskedTrainer(c, model)) {
      MaskingPolicy policy = new MaskingPolicy(c.masking(), tok.padId(), tok.maskId());
      int[][] b = batch(tok);
      Random r = new Random(1);
      for (int i = 0; i < 3; i++) {
        trainer.step(policy.corrupt(b, r), 1e-3); // gradients and moments come to life
      }
      int before = live(root);
      // the count sees the model's own arrays, so a leak would show: parameters and moments
      org.junit.jupiter.api.Assertions.assertTrue(before >= 3 * model.parameters().size(),
          "live arrays " + before + " for " + model.parameters().size() + " parameters");
      for (int i = 0; i < 50; i++) {
        trainer.step(policy.corrupt(b, r), 1e-3);
      }
      assertEquals(before, live(root), "arrays alive after 50 more masked training steps");
      MaskedSampler.sample(model, tok, c.sampler(), new int[]{20, 12}, new int[0], 0, null,
          null);
      int sampling = live(root);
      for (int i = 0; i < 20; i++) {
        MaskedSampler.sample(model, tok, c.sampler(), new int[]{20, 12}, new int[0], i, null,
            null);
      }
      assertEquals(sampling, live(root), "arrays alive after 20 more masked sampling runs");
    }
  }

  @Test
  void cdcdTrainingAndSamplingKeepTheArrayCountConstant() {
    RunConfig c = RunConfig.parse("{\"method\": \"cdcd\", " + SHAPE + ", \"cdcd\":"
        + " {\"refit_every\": 5, \"self_conditioning\": true, \"embedding_dim\": 16}}", "test");
    try (TextTokenizer tok = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<dev.diffulab.engine.cdcd.CdcdDenoiser> model = CdcdDenoiser.model(c.model(),
            c.cdcd(), tok.vocabSize(),
            tok.specialMask(), root, 1);
        CdcdTrainer trainer = new CdcdTrainer(c, model)) {
      int[][] b = batch(tok);
      float[][] keep = new float[8][32];
      for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 32; j++) {
          keep[i][j] = b[i][j] == tok.padId() ? 0f : 1f;
        }
      }
      Random r = new Random(1);
      for (int i = 0; i < 5; i++) {
        trainer.step(b, keep, new float[8][32], 1e-3, r);
      }
      int before = live(root);
      for (int i = 0; i < 50; i++) {
        trainer.step(b, keep, new float[8][32], 1e-3, r);
      }
      assertEquals(before, live(root), "arrays alive after 50 more CDCD training steps");
      double[] grid = trainer.warp().grid(9);
      CdcdSampler.sample(model, tok, c.sampler(), grid, new int[]{20, 12}, new int[0], 0, null);
      int sampling = live(root);
      for (int i = 0; i < 20; i++) {
        CdcdSampler.sample(model, tok, c.sampler(), grid, new int[]{20, 12}, new int[0], i,
            null);
      }
      assertEquals(sampling, live(root), "arrays alive after 20 more CDCD sampling runs");
    }
  }
}
