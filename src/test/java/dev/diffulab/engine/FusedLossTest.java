package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.diffulab.core.config.MaskingConfig.Weighting;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.Sequences;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.engine.cdcd.CdcdDenoiser;
import dev.diffulab.engine.masked.MaskedObjective;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The loss taken only where it counts (head at the scored rows, cross-entropy by index) is the
 * same number as the straightforward one (logits everywhere, log-softmax, one-hot), and a
 * document's loss does not depend on how much padding its batch carries.
 */
class FusedLossTest {

  /** The straightforward masked loss: full (B, T, V) logits, one-hot targets; then per sequence. */
  private static NDArray[] fullLoss(DenoiserModel<Denoiser> model, NDManager m, MaskedBatch b,
      Weighting weighting, boolean training) {
    NDArray logits = model.block().forward(model.store(), new NDList(
        m.create(b.noisy()).toType(DataType.INT64, false), m.create(b.keep())), training)
        .head(); // (B, T, V)
    NDArray targets = m.create(b.clean()).toType(DataType.INT64, false);
    NDArray nll = logits.logSoftmax(-1).mul(targets.oneHot(model.vocab())).sum(new int[]{-1})
        .neg(); // (B, T)
    NDArray masked = m.create(b.masked());
    NDArray perSeq = nll.mul(masked).sum(new int[]{1}); // (B)
    NDArray loss = weighting == Weighting.NONE
        ? perSeq.sum().div(masked.sum().maximum(1f))
        : perSeq.mul(m.create(b.weight())).sum().div(m.create(b.keep()).sum().maximum(1f));
    return new NDArray[]{loss, perSeq};
  }

  private static float[] straightforward(DenoiserModel<Denoiser> model, NDManager m, MaskedBatch b,
      Weighting weighting) {
    NDArray[] full = fullLoss(model, m, b, weighting, false);
    float[] out = new float[1 + b.size()];
    out[0] = full[0].getFloat();
    System.arraycopy(full[1].toFloatArray(), 0, out, 1, b.size());
    return out;
  }

  @ParameterizedTest
  @EnumSource(Weighting.class)
  void maskedLossAtMaskedRowsEqualsTheFullComputationInValueAndGradient(Weighting weighting) {
    RunConfig c = MaskedLearningTest.tinyConfig("");
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root,
            5);
        NDManager m = root.newSubManager()) {
      MaskedBatch b = new MaskingPolicy(c.masking(), t.padId(), t.maskId())
          .corrupt(MaskedLearningTest.batch(t, 6, 64), new Random(9));
      MaskedObjective.Result fused = MaskedObjective.compute(model, m, b, weighting, false);
      float[] full = straightforward(model, m, b, weighting);
      assertEquals(full[0], fused.loss().getFloat(), 1e-5f);
      float[] perSeq = fused.maskedNll().toFloatArray();
      for (int i = 0; i < b.size(); i++) {
        assertEquals(full[1 + i], perSeq[i], 1e-5f * Math.max(1f, Math.abs(full[1 + i])));
      }
      // equal values are not enough for equal training: the gather, the chunked head and the
      // log-softmax by index must also send back the same gradient to every parameter
      float[][] fusedGrad = gradients(model,
          () -> MaskedObjective.compute(model, m, b, weighting, true).loss());
      float[][] fullGrad = gradients(model, () -> fullLoss(model, m, b, weighting, true)[0]);
      double norm = 0;
      for (int i = 0; i < fullGrad.length; i++) {
        for (int j = 0; j < fullGrad[i].length; j++) {
          assertEquals(fullGrad[i][j], fusedGrad[i][j], 1e-5f + 1e-3f * Math.abs(fullGrad[i][j]),
              "parameter " + model.parameters().get(i).getName() + "[" + j + "]");
          norm += fullGrad[i][j] * fullGrad[i][j];
        }
      }
      assertEquals(true, norm > 1e-6, "a real gradient, not zero: " + norm);
    }
  }

  /** Every parameter's gradient of {@code loss}, read and then cleared. */
  private static float[][] gradients(DenoiserModel<?> model,
      java.util.function.Supplier<NDArray> loss) {
    try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance()
        .newGradientCollector()) {
      gc.backward(loss.get());
    }
    java.util.List<ai.djl.nn.Parameter> ps = model.parameters();
    float[][] out = new float[ps.size()][];
    for (int i = 0; i < out.length; i++) {
      NDArray g = ps.get(i).getArray().getGradient();
      out[i] = g.toFloatArray();
      g.subi(g); // gradients accumulate across backward passes
    }
    return out;
  }

  @Test
  void aDocumentsLossIsTheSameInATrimmedBatchAndAFullLengthOne() {
    RunConfig c = MaskedLearningTest.tinyConfig("");
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root,
            5);
        NDManager m = root.newSubManager()) {
      int[][] full = MaskedLearningTest.batch(t, 4, 64); // padded to 64
      int[][] trimmed = Sequences.trim(full, t.padId());
      assertEquals(true, trimmed[0].length < 64, "TinyTales stories are shorter than 64");
      MaskingPolicy policy = new MaskingPolicy(c.masking(), t.padId(), t.maskId());
      float[] ratio = {0.3f, 0.5f, 0.7f, 0.9f};
      MaskedBatch a = policy.corrupt(full, ratio, new Random(4));
      MaskedBatch b = policy.corrupt(trimmed, ratio, new Random(4));
      float[] inFull = MaskedObjective.compute(model, m, a, Weighting.NONE, false).maskedNll()
          .toFloatArray();
      float[] inTrimmed = MaskedObjective.compute(model, m, b, Weighting.NONE, false)
          .maskedNll().toFloatArray();
      assertArrayEquals(inFull, inTrimmed, 1e-4f);
      assertEquals(true, inFull[0] > 1f, "a real loss, not zero: " + inFull[0]);
    }
  }

  @Test
  void cdcdCrossEntropyByIndexEqualsTheFullComputation() {
    RunConfig c = MaskedLearningTest.tinyConfig(", \"method\": \"cdcd\"");
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<dev.diffulab.engine.cdcd.CdcdDenoiser> model = dev.diffulab.engine.cdcd.CdcdDenoiser
            .model(c.model(), c.cdcd(),
                t.vocabSize(),
                t.specialMask(), root, 5);
        NDManager m = root.newSubManager()) {
      CdcdDenoiser block = (CdcdDenoiser) model.block();
      int[][] ids = Sequences.trim(MaskedLearningTest.batch(t, 3, 64), t.padId());
      int len = ids[0].length;
      float[][] keep = new float[3][len];
      float[][] scored = new float[3][len];
      for (int b = 0; b < 3; b++) {
        for (int j = 0; j < len; j++) {
          keep[b][j] = ids[b][j] == t.padId() ? 0f : 1f;
          scored[b][j] = keep[b][j] * (j < 2 ? 0f : 1f); // the first two given
        }
      }
      NDArray x = m.randomNormal(new ai.djl.ndarray.types.Shape(3, len, c.model().dModel()));
      NDList inputs = new NDList(x, m.create(new float[]{2f, 5f, 20f}).reshape(3, 1, 1),
          m.zeros(new ai.djl.ndarray.types.Shape(3, len, 1)), m.create(keep));
      NDArray logits = block.forward(model.store(), inputs, false).head(); // (B, T, V)
      NDArray nllAll = logits.logSoftmax(-1)
          .mul(m.create(ids).toType(DataType.INT64, false).oneHot(model.vocab()))
          .sum(new int[]{-1}).neg().mul(m.create(scored)).sum(new int[]{1}); // (B)
      TokenCrossEntropy.Rows rows = TokenCrossEntropy.Rows.where(scored, ids);
      NDArray h = block.hidden(model.store(), inputs, false);
      NDArray fused = TokenCrossEntropy.perSequence(
          TokenCrossEntropy.nll(block, model.store(), h, rows, false), rows, 3);
      assertArrayEquals(nllAll.toFloatArray(), fused.toFloatArray(), 1e-3f);
    }
  }

  /** Four TinyTales documents of 20–28 tokens, packed two to a row of 64. */
  private static dev.diffulab.core.data.TrainBatch packedPairs(TextTokenizer t) {
    int[][] docs = new int[4][];
    int k = 0;
    for (String story : new dev.diffulab.core.tinytales.TinyTalesGenerator(11).stories(4)) {
      int[] ids = t.encode(story);
      docs[k] = java.util.Arrays.copyOf(ids, Math.min(ids.length, 20 + 3 * k));
      k++;
    }
    int[][] tokens = new int[2][64];
    int[][] segment = new int[2][64];
    for (int r = 0; r < 2; r++) {
      java.util.Arrays.fill(tokens[r], t.padId());
      int[] a = docs[2 * r];
      int[] b = docs[2 * r + 1];
      System.arraycopy(a, 0, tokens[r], 0, a.length);
      System.arraycopy(b, 0, tokens[r], a.length, b.length);
      java.util.Arrays.fill(segment[r], 0, a.length, 1);
      java.util.Arrays.fill(segment[r], a.length, a.length + b.length, 2);
    }
    return new dev.diffulab.core.data.TrainBatch(tokens, segment);
  }

  /** The positions of row r, segment s of a batch. */
  private static int[] span(dev.diffulab.core.data.TrainBatch b, int r, int s) {
    return java.util.stream.IntStream.range(0, b.length()).filter(j -> b.segment()[r][j] == s)
        .toArray();
  }

  /** The tiny test model, with or without end positions. */
  private static RunConfig tiny(String extra, boolean ends) {
    return RunConfig.parse("{\"model\": {\"d_model\": 64, \"layers\": 2, \"heads\": 4,"
        + " \"ffn\": 128, \"seq_len\": 64, \"end_positions\": " + ends + "}" + extra + "}",
        "test");
  }

  @ParameterizedTest(name = "end positions {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void aPackedDocumentsMaskedLossIsItsLossAlone(boolean ends) {
    RunConfig c = tiny("", ends);
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root,
            5);
        NDManager m = root.newSubManager()) {
      var packed = packedPairs(t);
      MaskedBatch p = new MaskingPolicy(c.masking(), t.padId(), t.maskId())
          .corrupt(packed, new float[]{0.3f, 0.5f, 0.7f, 0.9f}, new Random(8));
      assertEquals(4, p.documents());
      float[] inPack = MaskedObjective.compute(model, m, p, Weighting.NONE, false).maskedNll()
          .toFloatArray();
      // each document alone in its own row, with exactly the same masks
      int[][] noisy = new int[4][];
      int[][] clean = new int[4][];
      float[][] masked = new float[4][];
      float[][] keep = new float[4][];
      int[][] segment = new int[4][];
      int[][] document = new int[4][];
      for (int d = 0; d < 4; d++) {
        int[] at = span(packed, d / 2, d % 2 + 1);
        int row = d / 2;
        noisy[d] = java.util.Arrays.stream(at).map(j -> p.noisy()[row][j]).toArray();
        clean[d] = java.util.Arrays.stream(at).map(j -> p.clean()[row][j]).toArray();
        masked[d] = new float[at.length];
        for (int i = 0; i < at.length; i++) {
          masked[d][i] = p.masked()[d / 2][at[i]];
        }
        keep[d] = new float[at.length];
        java.util.Arrays.fill(keep[d], 1f);
        segment[d] = new int[at.length];
        java.util.Arrays.fill(segment[d], 1);
        document[d] = new int[at.length];
        java.util.Arrays.fill(document[d], d);
      }
      float[] alone = new float[4];
      for (int d = 0; d < 4; d++) {
        MaskedBatch one = new MaskedBatch(new int[][]{noisy[d]}, new int[][]{clean[d]},
            new float[][]{masked[d]}, new float[][]{keep[d]}, new float[]{p.ratio()[d]},
            new float[]{1f}, new int[][]{segment[d]}, new int[][]{new int[noisy[d].length]},
            new int[1]);
        alone[d] = MaskedObjective.compute(model, m, one, Weighting.NONE, false).maskedNll()
            .getFloat(0);
      }
      assertArrayEquals(alone, inPack, 1e-4f);
      assertEquals(true, alone[0] > 1f, "a real loss, not zero: " + alone[0]);
    }
  }

  @ParameterizedTest(name = "end positions {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void aPackedDocumentsCdcdStatesAreItsStatesAlone(boolean ends) {
    RunConfig c = tiny(", \"method\": \"cdcd\"", ends);
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<dev.diffulab.engine.cdcd.CdcdDenoiser> model = dev.diffulab.engine.cdcd.CdcdDenoiser
            .model(c.model(), c.cdcd(),
                t.vocabSize(),
                t.specialMask(), root, 5);
        NDManager m = root.newSubManager()) {
      CdcdDenoiser block = (CdcdDenoiser) model.block();
      var packed = packedPairs(t);
      int e = block.embeddingDim();
      NDArray x = m.randomNormal(new ai.djl.ndarray.types.Shape(2, 64, e));
      float[] sigmaOfDoc = {2f, 5f, 20f, 60f};
      float[][] sig = new float[2][64];
      int[][] document = packed.document();
      for (int r = 0; r < 2; r++) {
        for (int j = 0; j < 64; j++) {
          sig[r][j] = document[r][j] >= 0 ? sigmaOfDoc[document[r][j]] : 1f;
        }
      }
      NDArray h = block.hidden(model.store(), x, m.create(sig).reshape(2, 64, 1),
          m.zeros(new ai.djl.ndarray.types.Shape(2, 64, 1)),
          dev.diffulab.engine.model.Layout.of(m, packed.segment()), null, false);
      for (int d = 0; d < 4; d++) {
        int[] at = span(packed, d / 2, d % 2 + 1);
        String range = at[0] + ":" + (at[at.length - 1] + 1);
        NDArray xs = x.get(d / 2 + ":" + (d / 2 + 1) + "," + range); // (1, L, E)
        NDArray alone = block.hidden(model.store(), xs,
            m.create(new float[]{sigmaOfDoc[d]}).reshape(1, 1, 1),
            m.zeros(new ai.djl.ndarray.types.Shape(1, at.length, 1)),
            dev.diffulab.engine.model.Layout.of(m.ones(new ai.djl.ndarray.types.Shape(1,
                at.length))),
            null, false);
        NDArray inPack = h.get(d / 2 + ":" + (d / 2 + 1) + "," + range);
        assertArrayEquals(alone.toFloatArray(), inPack.toFloatArray(), 1e-4f,
            "document " + d);
      }
    }
  }
}
