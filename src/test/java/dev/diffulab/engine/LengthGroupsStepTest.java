package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.core.tinytales.TinyTalesGenerator;
import dev.diffulab.engine.cdcd.CdcdDenoiser;
import dev.diffulab.engine.cdcd.CdcdTrainer;
import dev.diffulab.engine.masked.MaskedTrainer;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A step run as groups of alike-length rows ({@code data.length_groups}) is the same step as the
 * batch run whole: the same loss, gradient norm and per-document losses, the same parameters
 * after it — with fewer positions computed.
 */
class LengthGroupsStepTest {

  /** Rows of very different lengths (6 to 60 tokens), one of them two documents packed. */
  static TrainBatch mixedRows(TextTokenizer t) {
    List<String> stories = new TinyTalesGenerator(3).stories(8);
    int[] cut = {6, 58, 9, 60, 12, 55, 10, 20};
    int[][] docs = new int[8][];
    for (int i = 0; i < 8; i++) {
      int[] ids = t.encode(stories.get(i));
      docs[i] = Arrays.copyOf(ids, Math.min(ids.length, cut[i]));
    }
    int rows = 7;
    int width = 0;
    for (int i = 0; i < 6; i++) {
      width = Math.max(width, docs[i].length);
    }
    width = Math.max(width, docs[6].length + docs[7].length);
    int[][] tokens = new int[rows][width];
    int[][] segment = new int[rows][width];
    for (int r = 0; r < rows; r++) {
      Arrays.fill(tokens[r], t.padId());
    }
    for (int r = 0; r < 6; r++) {
      System.arraycopy(docs[r], 0, tokens[r], 0, docs[r].length);
      Arrays.fill(segment[r], 0, docs[r].length, 1);
    }
    System.arraycopy(docs[6], 0, tokens[6], 0, docs[6].length);
    System.arraycopy(docs[7], 0, tokens[6], docs[6].length, docs[7].length);
    Arrays.fill(segment[6], 0, docs[6].length, 1);
    Arrays.fill(segment[6], docs[6].length, docs[6].length + docs[7].length, 2);
    return new TrainBatch(tokens, segment);
  }

  private static float[] parameters(DenoiserModel<?> model) {
    List<Parameter> ps = model.parameters();
    int n = 0;
    for (Parameter p : ps) {
      n += (int) p.getArray().size();
    }
    float[] out = new float[n];
    int k = 0;
    for (Parameter p : ps) {
      float[] v = p.getArray().toFloatArray();
      System.arraycopy(v, 0, out, k, v.length);
      k += v.length;
    }
    return out;
  }

  private static void assertClose(float expected, float actual, String what) {
    assertEquals(expected, actual, 1e-5f + 1e-4f * Math.abs(expected), what);
  }

  /**
   * Each case starts both models from the same parameters: Adam turns a gradient element whose
   * true value is zero but whose rounding differs between the two ways of summing into a full
   * ±learning-rate update, so runs of several steps drift apart in a few elements for reasons
   * unrelated to grouping. One step from the same start compares what grouping changes.
   */
  @Test
  void aMaskedStepInGroupsIsTheWholeBatchsStep() {
    RunConfig whole = MaskedLearningTest.tinyConfig("");
    RunConfig grouped = MaskedLearningTest.tinyConfig(", \"data\": {\"length_groups\": 4}");
    try (TextTokenizer t = TextTokenizer.tinyTales()) {
      TrainBatch rows = mixedRows(t);
      MaskingPolicy policy = new MaskingPolicy(whole.masking(), t.padId(), t.maskId());
      for (int c = 0; c < 3; c++) {
        try (NDManager root = NDManager.newBaseManager();
            DenoiserModel<Denoiser> a = DenoiserModel.masked(whole.model(), t.vocabSize(),
                t.specialMask(), root, 5 + c);
            DenoiserModel<Denoiser> b = DenoiserModel.masked(grouped.model(), t.vocabSize(),
                t.specialMask(), root, 5 + c);
            MaskedTrainer ta = new MaskedTrainer(whole, a);
            MaskedTrainer tb = new MaskedTrainer(grouped, b)) {
          MaskedBatch batch = policy.corrupt(rows, new Random(10 + c));
          MaskedTrainer.Step sa = ta.step(batch, 1e-3);
          MaskedTrainer.Step sb = tb.step(batch, 1e-3);
          assertEquals((long) rows.size() * rows.length(), sa.positions());
          assertTrue(sb.positions() < sa.positions(),
              "groups compute less padding: " + sb.positions() + " vs " + sa.positions());
          assertEquals(sa.tokens(), sb.tokens());
          assertClose(sa.loss(), sb.loss(), "loss, case " + c);
          assertClose(sa.gradNorm(), sb.gradNorm(), "gradient norm, case " + c);
          assertArrayEquals(sa.maskedMeanNll(), sb.maskedMeanNll(), 1e-4f,
              "every document's loss, case " + c);
          assertSameParameters(a, b, "case " + c);
        }
      }
    }
  }

  private static void assertSameParameters(DenoiserModel<?> a, DenoiserModel<?> b, String what) {
    float[] pa = parameters(a);
    float[] pb = parameters(b);
    for (int i = 0; i < pa.length; i++) {
      assertEquals(pa[i], pb[i], 1e-5f, "parameter element " + i + " after the step, " + what);
    }
  }

  @Test
  void aCdcdStepInGroupsIsTheWholeBatchsStep() {
    String cdcd = ", \"method\": \"cdcd\", \"cdcd\": {\"self_conditioning\": true}";
    RunConfig whole = MaskedLearningTest.tinyConfig(cdcd);
    RunConfig grouped = MaskedLearningTest.tinyConfig(cdcd + ", \"data\": {\"length_groups\": 4}");
    ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
    try (TextTokenizer t = TextTokenizer.tinyTales()) {
      TrainBatch rows = mixedRows(t);
      float[][] given = new float[rows.size()][rows.length()];
      for (float[] g : given) {
        g[0] = 1f; // each row's first token is a given prompt token
      }
      for (int c = 0; c < 4; c++) {
        try (NDManager root = NDManager.newBaseManager();
            DenoiserModel<CdcdDenoiser> a = CdcdDenoiser.model(whole.model(), whole.cdcd(),
                t.vocabSize(), t.specialMask(), root, 5 + c);
            DenoiserModel<CdcdDenoiser> b = CdcdDenoiser.model(grouped.model(), grouped.cdcd(),
                t.vocabSize(), t.specialMask(), root, 5 + c);
            CdcdTrainer ta = new CdcdTrainer(whole, a);
            CdcdTrainer tb = new CdcdTrainer(grouped, b)) {
          // the same generators for both: the same σ, the same noise, the same
          // self-conditioning choice (over the four cases, with and without)
          engine.setRandomSeed(100 + c);
          CdcdTrainer.Step sa = ta.step(rows, given, 1e-3, new Random(20 + c));
          engine.setRandomSeed(100 + c);
          CdcdTrainer.Step sb = tb.step(rows, given, 1e-3, new Random(20 + c));
          assertTrue(sb.positions() < sa.positions(),
              "groups compute less padding: " + sb.positions() + " vs " + sa.positions());
          assertArrayEquals(sa.sigma(), sb.sigma(), "the same noise levels");
          assertClose(sa.loss(), sb.loss(), "loss, case " + c);
          assertClose(sa.gradNorm(), sb.gradNorm(), "gradient norm, case " + c);
          assertArrayEquals(sa.crossEntropy(), sb.crossEntropy(), 1e-4f,
              "every document's cross-entropy, case " + c);
          assertSameParameters(a, b, "case " + c);
        }
      }
    }
  }
}
