package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An update with a non-finite gradient is skipped, leaves the weights alone and says where. */
class AdamWTest {

  /** Backward of Σ_p factor_p · Σ w_p: every parameter's gradient is its factor everywhere. */
  private static void backward(List<Parameter> ps, String poisoned, NDManager m) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (Parameter p : ps) {
        float factor = p.getName().equals(poisoned) ? Float.NaN : 1e-3f;
        NDArray term = p.getArray().sum().mul(factor);
        loss = loss == null ? term : loss.add(term);
      }
      gc.backward(loss);
    }
  }

  @Test
  void aNonFiniteGradientSkipsTheUpdateNamesTheParameterAndTheNextStepWorks() {
    RunConfig c = MaskedLearningTest.tinyConfig("");
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root, 3);
        NDManager m = root.newSubManager();
        AdamW opt = new AdamW(model.parameters(), root, 0.01, 1.0)) {
      List<Parameter> ps = model.parameters();
      Parameter target = ps.get(1);
      float[] before = target.getArray().toFloatArray();
      backward(ps, target.getName(), m);
      float norm = opt.step(1e-3);
      assertFalse(Float.isFinite(norm), "the norm says the gradient was not finite");
      assertEquals(1, opt.skipped());
      assertEquals(0, opt.updates());
      assertTrue(opt.lastSkip().contains(target.getName() + " "
          + target.getArray().getShape() + " (NaN)"), opt.lastSkip());
      assertFalse(opt.lastSkip().contains(ps.get(0).getName() + " "),
          "only the poisoned parameter is named: " + opt.lastSkip());
      assertArrayEquals(before, target.getArray().toFloatArray(), "the weights are untouched");
      // the poisoned gradient was cleared: a clean step after it updates normally
      backward(ps, "", m);
      assertTrue(Float.isFinite(opt.step(1e-3)));
      assertEquals(1, opt.updates());
      assertEquals(1, opt.skipped());
      assertFalse(java.util.Arrays.equals(before, target.getArray().toFloatArray()),
          "a finite step moves the weights");
    }
  }

  @Test
  void aDiscardedGradientRecomputedCleanLandsWhereANeverPoisonedStepLands() {
    RunConfig c = MaskedLearningTest.tinyConfig("");
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> a = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root, 3);
        DenoiserModel<Denoiser> b = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root, 3);
        NDManager m = root.newSubManager();
        AdamW optA = new AdamW(a.parameters(), root, 0.01, 1.0);
        AdamW optB = new AdamW(b.parameters(), root, 0.01, 1.0)) {
      List<Parameter> pa = a.parameters();
      List<Parameter> pb = b.parameters();
      // a: a pass that fails, discarded, then the same pass computed again
      backward(pa, pa.get(2).getName(), m);
      float bad = optA.gradientNorm();
      assertFalse(Float.isFinite(bad));
      optA.discardForRecompute();
      assertTrue(optA.lastSkip().contains(pa.get(2).getName()), optA.lastSkip());
      backward(pa, "", m);
      float normA = optA.gradientNorm();
      optA.step(1e-3, normA);
      // b: the same clean pass only
      backward(pb, "", m);
      float normB = optB.gradientNorm();
      optB.step(1e-3, normB);
      assertEquals(normB, normA, "the recomputed gradient is the clean one, not added to the bad");
      assertEquals(1, optA.recomputed());
      assertEquals(0, optA.skipped());
      assertEquals(optB.updates(), optA.updates());
      for (int i = 0; i < pa.size(); i++) {
        assertArrayEquals(pb.get(i).getArray().toFloatArray(), pa.get(i).getArray()
            .toFloatArray(), pa.get(i).getName() + ": bit for bit");
      }
    }
  }
}
