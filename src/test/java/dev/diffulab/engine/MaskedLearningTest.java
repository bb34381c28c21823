package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.MaskingConfig;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.Sequences;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.core.tinytales.TinyTalesGenerator;
import dev.diffulab.engine.masked.MaskedObjective;
import dev.diffulab.engine.masked.MaskedTrainer;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskedLearningTest {
  static RunConfig tinyConfig(String extra) {
    return RunConfig
        .parse("{\"model\": {\"d_model\": 64, \"layers\": 2, \"heads\": 4, \"ffn\": 128,"
            + " \"seq_len\": 64}, \"train\": {\"learning_rate\": 0.003, \"warmup_steps\": 10}"
            + extra + "}", "test");
  }

  static int[][] batch(TextTokenizer t, int n, int seqLen) {
    List<int[]> docs = new ArrayList<>();
    for (String s : new TinyTalesGenerator(1).stories(n)) {
      docs.add(t.encode(s));
    }
    return Sequences.pad(docs, seqLen, t.padId()).toArray(int[][]::new);
  }

  @Test
  void aTinyModelOverfitsAFixedBatchToNearZeroLoss() {
    RunConfig c = tinyConfig("");
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root, 1);
        MaskedTrainer trainer = new MaskedTrainer(c, model)) {
      MaskedBatch b = new MaskingPolicy(c.masking(), t.padId(), t.maskId())
          .corrupt(batch(t, 4, 64), new float[]{0.5f, 0.5f, 0.5f, 0.5f}, new Random(3));
      float first = trainer.step(b, 3e-3).loss();
      float last = first;
      for (int i = 0; i < 300; i++) {
        last = trainer.step(b, 3e-3).loss();
      }
      assertTrue(first > 4.0, "starts near log V: " + first);
      assertTrue(last < 0.05, "after 300 steps: " + last);
    }
  }

  @Test
  void elboWeightingChangesTheLossExactlyAsTheFormulaSays() {
    RunConfig c = tinyConfig("");
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root,
            1)) {
      MaskingConfig elbo = new MaskingConfig(MaskingConfig.Ratio.UNIFORM, 1e-3,
          MaskingConfig.Weighting.ELBO, 0, false);
      MaskedBatch b = new MaskingPolicy(elbo, t.padId(), t.maskId())
          .corrupt(batch(t, 6, 64), new Random(5));
      try (NDManager m = root.newSubManager()) {
        MaskedObjective.Result none = MaskedObjective.compute(model, m, b,
            MaskingConfig.Weighting.NONE, false);
        MaskedObjective.Result weighted = MaskedObjective.compute(model, m, b,
            MaskingConfig.Weighting.ELBO, false);
        float[] s = none.maskedNll().toFloatArray();
        float[] n = none.maskedCount().toFloatArray();
        double sum = 0;
        double count = 0;
        double elboSum = 0;
        for (int i = 0; i < s.length; i++) {
          sum += s[i];
          count += n[i];
          elboSum += s[i] / b.ratio()[i];
        }
        assertEquals(sum / count, none.loss().getFloat(), 1e-4);
        assertEquals(elboSum / b.realTokens(), weighted.loss().getFloat(), 1e-3);
      }
    }
  }
}
