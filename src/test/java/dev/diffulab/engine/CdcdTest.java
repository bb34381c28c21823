package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.data.Sequences;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.tinytales.TinyTalesGenerator;
import dev.diffulab.engine.cdcd.CdcdDenoiser;
import dev.diffulab.engine.cdcd.CdcdObjective;
import dev.diffulab.engine.cdcd.CdcdSampler;
import dev.diffulab.engine.cdcd.CdcdTrainer;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CdcdTest {
  private static final RunConfig CONFIG = RunConfig.parse("""
      {"method": "cdcd", "seed": 3,
       "model": {"d_model": 64, "layers": 2, "heads": 4, "ffn": 128, "seq_len": 64},
       "train": {"learning_rate": 0.003, "batch_size": 32},
       "cdcd": {"sigma_min": 0.5, "sigma_max": 100, "refit_every": 20}}
      """, "test");
  private static TextTokenizer tok;
  private static NDManager root;
  private static DenoiserModel<dev.diffulab.engine.cdcd.CdcdDenoiser> model;
  private static CdcdTrainer trainer;

  @BeforeAll
  static void trainBriefly() {
    tok = TextTokenizer.tinyTales();
    root = NDManager.newBaseManager();
    model = dev.diffulab.engine.cdcd.CdcdDenoiser.model(CONFIG.model(), CONFIG.cdcd(),
        tok.vocabSize(), tok.specialMask(),
        root, 3);
    trainer = new CdcdTrainer(CONFIG, model);
    List<int[]> docs = new ArrayList<>();
    for (String s : new TinyTalesGenerator(2).stories(600)) {
      docs.add(tok.encode(s));
    }
    List<int[]> seqs = Sequences.pad(docs, 64, tok.padId());
    Random r = new Random(1);
    for (int step = 0; step < 250; step++) {
      int[][] batch = new int[32][];
      float[][] keep = new float[32][64];
      float[][] given = new float[32][64];
      for (int b = 0; b < 32; b++) {
        batch[b] = seqs.get(r.nextInt(seqs.size()));
        for (int i = 0; i < 64; i++) {
          keep[b][i] = batch[b][i] == tok.padId() ? 0f : 1f;
        }
      }
      trainer.step(batch, keep, given, step < 20 ? 3e-3 * (step + 1) / 20 : 3e-3, r);
    }
  }

  @AfterAll
  static void close() {
    trainer.close();
    model.close();
    root.close();
    tok.close();
  }

  @Test
  void aFamilysModelIsNotTakenForAnothers() {
    assertSame(model, model.as(dev.diffulab.engine.cdcd.CdcdDenoiser.class));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.as(dev.diffulab.engine.model.Denoiser.class));
    assertEquals("a CdcdDenoiser model is not a Denoiser model", e.getMessage());
  }

  @Test
  void embeddingsAreNormalisedToUnitVarianceElements() {
    try (NDManager m = root.newSubManager()) {
      NDArray e = ((CdcdDenoiser) model.block()).normalisedEmbedding(model.store(),
          model.device(), false);
      float[] norms = e.square().sum(new int[]{1}).sqrt().toFloatArray();
      for (float n : norms) {
        assertEquals(Math.sqrt(64), n, 1e-3);
      }
      assertEquals(1.0, e.square().mean().getFloat(), 1e-3, "per-element variance");
    }
  }

  @Test
  void theDenoisedEstimateIsAConvexCombinationOfEmbeddingRows() {
    try (NDManager m = root.newSubManager()) {
      NDArray e = ((CdcdDenoiser) model.block()).normalisedEmbedding(model.store(),
          model.device(), false); // (V, D)
      NDArray logits = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 3, tok.vocabSize()))
          .mul(3f);
      NDArray x0 = CdcdObjective.denoised(logits, e, 0.7f); // (1, 3, D)
      float[] p = logits.div(0.7f).softmax(-1).toFloatArray();
      float[] rows = e.toFloatArray();
      float[] got = x0.toFloatArray();
      double weightSum = 0;
      for (int v = 0; v < tok.vocabSize(); v++) {
        assertTrue(p[v] >= 0);
        weightSum += p[v];
      }
      assertEquals(1.0, weightSum, 1e-4);
      for (int k = 0; k < 64; k++) {
        double expected = 0;
        for (int v = 0; v < tok.vocabSize(); v++) {
          expected += p[v] * rows[v * 64 + k];
        }
        assertEquals(expected, got[k], 1e-3);
      }
    }
  }

  @Test
  void aBrieflyTrainedModelIsSureAtSmallSigmaAndUnsureAtLargeSigma() {
    List<int[]> docs = new ArrayList<>();
    for (String s : new TinyTalesGenerator(99).stories(64)) {
      docs.add(tok.encode(s));
    }
    int[][] batch = Sequences.pad(docs, 64, tok.padId()).toArray(int[][]::new);
    float[][] keep = new float[64][64];
    for (int b = 0; b < 64; b++) {
      for (int i = 0; i < 64; i++) {
        keep[b][i] = batch[b][i] == tok.padId() ? 0f : 1f;
      }
    }
    double small = meanCe(batch, keep, 0.5f);
    double large = meanCe(batch, keep, 100f);
    assertTrue(small < 0.5, "cross-entropy at σ=0.5: " + small);
    assertTrue(large > 2.0, "cross-entropy at σ=100: " + large);
    assertTrue(trainer.warp().fitted(), "the time warp was never fitted");
    assertTrue(trainer.warp().at(0.5) < trainer.warp().at(100));
  }

  private static double meanCe(int[][] batch, float[][] keep, float sigma) {
    try (NDManager m = root.newSubManager()) {
      float[] s = new float[batch.length];
      java.util.Arrays.fill(s, sigma);
      return CdcdObjective.compute(model, m, batch, keep, new float[batch.length][64], s, false)
          .loss().getFloat();
    }
  }

  @Test
  void selfConditioningFeedsTheEstimateBackAndStillSamplesDeterministically() {
    RunConfig sc = RunConfig.parse("""
        {"method": "cdcd", "seed": 4,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 32},
         "cdcd": {"sigma_min": 0.5, "sigma_max": 100, "self_conditioning": true}}
        """, "test");
    try (NDManager m = root.newSubManager();
        DenoiserModel<dev.diffulab.engine.cdcd.CdcdDenoiser> scModel = dev.diffulab.engine.cdcd.CdcdDenoiser
            .model(sc.model(), sc.cdcd(),
                tok.vocabSize(),
                tok.specialMask(), m, 4);
        CdcdTrainer scTrainer = new CdcdTrainer(sc, scModel)) {
      int[][] batch = new int[8][32];
      float[][] keep = new float[8][32];
      for (int b = 0; b < 8; b++) {
        int[] ids = tok.encode(new TinyTalesGenerator(5).story(b));
        System.arraycopy(ids, 0, batch[b], 0, Math.min(32, ids.length));
        java.util.Arrays.fill(keep[b], 1f);
      }
      Random r = new Random(2);
      for (int i = 0; i < 30; i++) {
        scTrainer.step(batch, keep, new float[8][32], 3e-3, r);
      }
      // the estimate fed back changes what the model predicts
      try (NDManager t = m.newSubManager()) {
        var x = t.randomNormal(new ai.djl.ndarray.types.Shape(1, 32, 32));
        var sig = t.create(new float[]{5f}).reshape(1, 1, 1);
        var given = t.zeros(new ai.djl.ndarray.types.Shape(1, 32, 1));
        var k = t.ones(new ai.djl.ndarray.types.Shape(1, 32));
        var withZeros = scModel.block().forward(scModel.store(),
            new ai.djl.ndarray.NDList(x, sig, given, k), false).head();
        var withEstimate = scModel.block().forward(scModel.store(),
            new ai.djl.ndarray.NDList(x, sig, given, k, x.mul(2f)), false).head();
        assertTrue(withZeros.sub(withEstimate).abs().max().getFloat() > 1e-4,
            "the self-conditioning input is ignored");
      }
      var s = sc.sampler().with(8, sc.sampler().schedule(), sc.sampler().remasking(),
          sc.sampler().tokenChoice(), 20, 0.9, 1.0, 20, 1);
      double[] grid = scTrainer.warp().grid(9);
      var a = CdcdSampler.sample(scModel, tok, s, grid, new int[]{20}, new int[0], 3, null);
      var b = CdcdSampler.sample(scModel, tok, s, grid, new int[]{20}, new int[0], 3, null);
      assertArrayEquals(a.get(0).last().tokens(), b.get(0).last().tokens());
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(SamplerConfig.Solver.class)
  void theSamplerEndsOnValidTokensHonoursAPrefixAndRepeatsForASeed(SamplerConfig.Solver solver) {
    var s = CONFIG.sampler().withSolver(solver).with(16, CONFIG.sampler().schedule(),
        CONFIG.sampler().remasking(), CONFIG.sampler().tokenChoice(), 20, 0.9, 1.0, 40, 2);
    int[] prompt = tok.encode("Once upon a time , there was");
    double[] grid = trainer.warp().grid(17);
    List<DenoiseTrace> a = CdcdSampler.sample(model, tok, s, grid, new int[]{40, 30}, prompt, 5,
        null);
    List<DenoiseTrace> b = CdcdSampler.sample(model, tok, s, grid, new int[]{40, 30}, prompt, 5,
        null);
    for (int k = 0; k < 2; k++) {
      DenoiseTrace t = a.get(k);
      assertEquals(17, t.steps().size(), "K + 1 states");
      int[] last = t.last().tokens();
      for (int i = 0; i < last.length; i++) {
        assertTrue(!tok.isSpecial(last[i]), "special token at " + i);
        if (i < prompt.length) {
          assertEquals(prompt[i], last[i]);
          assertEquals(TokenState.GIVEN, t.last().states()[i]);
        }
      }
      assertTrue(t.finalText().startsWith("Once upon a time, there was"), t.finalText());
      assertArrayEquals(last, b.get(k).last().tokens(), "same seed, same sample");
      assertTrue(t.steps().get(1).level() > t.steps().get(16).level(), "σ falls");
    }
    if (solver == SamplerConfig.Solver.ANCESTRAL) {
      // fresh noise at every step: the run leaves the ODE's path (same seed, same start)
      List<DenoiseTrace> ode = CdcdSampler.sample(model, tok,
          s.withSolver(SamplerConfig.Solver.EULER), grid, new int[]{40, 30}, prompt, 5, null);
      assertArrayEquals(ode.get(0).steps().get(1).tokens(), a.get(0).steps().get(1).tokens(),
          "the first step reads the same start");
      boolean differs = false;
      for (int k = 2; k <= 16; k++) {
        differs |= !java.util.Arrays.equals(ode.get(0).steps().get(k).tokens(),
            a.get(0).steps().get(k).tokens());
      }
      assertTrue(differs, "ancestral steps follow their own path");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = SamplerConfig.Remasking.class, names = {
      "LOW_CONFIDENCE", "RANDOM"})
  void aCommittingSamplerFixesTheScheduledPositionsAndKeepsThem(SamplerConfig.Remasking rule) {
    var s = CONFIG.sampler().withSolver(SamplerConfig.Solver.ANCESTRAL).with(16,
        dev.diffulab.core.config.MaskSchedule.COSINE, rule, CONFIG.sampler().tokenChoice(), 20,
        0.9, 1.0, 40, 2);
    int[] prompt = tok.encode("Once upon a time");
    double[] grid = trainer.warp().grid(17);
    List<DenoiseTrace> a = CdcdSampler.sample(model, tok, s, grid, new int[]{40, 30}, prompt, 5,
        null);
    List<DenoiseTrace> b = CdcdSampler.sample(model, tok, s, grid, new int[]{40, 30}, prompt, 5,
        null);
    assertTrue(a.get(0).settings().contains(rule.id() + " commits"), a.get(0).settings());
    for (int n = 0; n < 2; n++) {
      DenoiseTrace t = a.get(n);
      int length = t.last().tokens().length;
      int[] counts = dev.diffulab.core.config.MaskSchedule.COSINE.maskedCounts(
          length - prompt.length, 16);
      boolean[] committed = new boolean[length];
      for (int k = 1; k <= 16; k++) {
        var step = t.steps().get(k);
        int revealed = 0;
        float surestLeft = 0f;
        float leastCommitted = 1f;
        for (int i = 0; i < length; i++) {
          if (i < prompt.length) {
            assertEquals(TokenState.GIVEN, step.states()[i]);
            assertEquals(prompt[i], step.tokens()[i]);
          } else if (step.states()[i] == TokenState.REVEALED) {
            assertTrue(!committed[i], "committed once");
            committed[i] = true;
            revealed++;
            leastCommitted = Math.min(leastCommitted, step.confidence()[i]);
            for (int j = k + 1; j <= 16; j++) {
              assertEquals(step.tokens()[i], t.steps().get(j).tokens()[i], "kept after " + k);
              assertEquals(TokenState.KEPT, t.steps().get(j).states()[i]);
            }
          } else if (!committed[i]) {
            surestLeft = Math.max(surestLeft, step.confidence()[i]);
          }
        }
        assertEquals(counts[k - 1] - counts[k], revealed, "committed at step " + k);
        if (rule == SamplerConfig.Remasking.LOW_CONFIDENCE && revealed > 0) {
          assertTrue(leastCommitted >= surestLeft, "the surest are committed at step " + k
              + ": " + leastCommitted + " < " + surestLeft);
        }
      }
      for (int i = prompt.length; i < length; i++) {
        assertTrue(committed[i], "every free position is committed by the end: " + i);
      }
      assertArrayEquals(t.last().tokens(), b.get(n).last().tokens(), "same seed, same sample");
    }
    // without a commit rule nothing is revealed before the end
    List<DenoiseTrace> plain = CdcdSampler.sample(model, tok, s.with(16,
        dev.diffulab.core.config.MaskSchedule.COSINE, SamplerConfig.Remasking.ANCESTRAL,
        CONFIG.sampler().tokenChoice(), 20, 0.9, 1.0, 40, 2), grid, new int[]{40}, prompt, 5,
        null);
    for (var step : plain.get(0).steps()) {
      for (TokenState state : step.states()) {
        assertTrue(state != TokenState.REVEALED, "ancestral commits nothing");
      }
    }
  }

  @Test
  void narrowEmbeddingsAreProjectedUpAndLearnAtTheirOwnRate() {
    RunConfig base = RunConfig.parse("""
        {"method": "cdcd", "seed": 6,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 32},
         "train": {"weight_decay": 0},
         "cdcd": {"sigma_min": 0.5, "sigma_max": 100, "embedding_dim": 8,
                  "self_conditioning": true, "embedding_lr_scale": 1}}
        """, "test");
    RunConfig fast = RunConfig.parse(base.toJson().replace("\"embedding_lr_scale\": 1.0",
        "\"embedding_lr_scale\": 10.0"), "test");
    assertEquals(10.0, fast.cdcd().embeddingLrScale());
    int[][] batch = new int[4][32];
    float[][] keep = new float[4][32];
    for (int b = 0; b < 4; b++) {
      int[] ids = tok.encode(new TinyTalesGenerator(8).story(b));
      System.arraycopy(ids, 0, batch[b], 0, Math.min(32, ids.length));
      java.util.Arrays.fill(keep[b], 1f);
    }
    float[] moved = new float[2];
    float[] other = new float[2];
    RunConfig[] configs = {base, fast};
    for (int k = 0; k < 2; k++) {
      try (NDManager m = root.newSubManager();
          DenoiserModel<dev.diffulab.engine.cdcd.CdcdDenoiser> narrow = dev.diffulab.engine.cdcd.CdcdDenoiser
              .model(configs[k].model(),
                  configs[k].cdcd(),
                  tok.vocabSize(), tok.specialMask(), m, 6);
          CdcdTrainer trainer = new CdcdTrainer(configs[k], narrow)) {
        CdcdDenoiser block = (CdcdDenoiser) narrow.block();
        assertEquals(8, block.embeddingDim());
        NDArray e = block.normalisedEmbedding(narrow.store(), m.getDevice(), false);
        assertEquals(new ai.djl.ndarray.types.Shape(tok.vocabSize(), 8), e.getShape());
        NDArray before = block.embeddingParameter().getArray().duplicate();
        var head = narrow.parameters().stream()
            .filter(p -> p.getName().equals("weight") && p != block.embeddingParameter())
            .findFirst().orElseThrow();
        NDArray headBefore = head.getArray().duplicate();
        trainer.step(batch, keep, new float[4][32], 1e-3, new Random(3));
        moved[k] = block.embeddingParameter().getArray().sub(before).abs().max().getFloat();
        other[k] = head.getArray().sub(headBefore).abs().max().getFloat();
        // a narrow model samples: x lives in the E-wide space, tokens come out
        var s = configs[k].sampler().with(4, configs[k].sampler().schedule(),
            configs[k].sampler().remasking(), configs[k].sampler().tokenChoice(), 20, 0.9, 1.0,
            12, 1);
        var traces = CdcdSampler.sample(narrow, tok, s, trainer.warp().grid(5), new int[]{12},
            new int[0], 1, null);
        assertEquals(12, traces.get(0).last().tokens().length);
      }
    }
    // Adam's first update is about the learning rate per element: ten times for the embeddings
    assertEquals(10.0, moved[1] / moved[0], 0.5, "embedding update, scale 10 vs 1");
    assertEquals(1.0, other[1] / other[0], 0.05, "the rest of the model learns as before");
  }
}
