package dev.diffulab.engine.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.config.ModelConfig;
import dev.diffulab.core.gaussian.NoiseSchedule;
import dev.diffulab.engine.model.DenoiserModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The second stage of latent text diffusion, on four random word sequences: the autoencoder
 * learns them (and where each ends), the measured scale brings their latents to mean 0 and
 * spread 1, the denoiser's error falls from that of a network that predicts nothing, and DDIM
 * from fresh noise writes texts that are the training texts — the model has learned the
 * distribution of its four latents, not a blur between them.
 */
class LatentDiffusionTest {
  private static final int PAD = 0;
  private static final int VOCAB = 16; // 0 pad (the end, which the decoder may write), 2…15 words
  private static final int T = 8;
  private static final int K = 4;
  private static final int Z = 8;

  static DenoiserModel<LatentDiffusion> model(NDManager root) {
    return model(root, false);
  }

  static DenoiserModel<LatentDiffusion> model(NDManager root, boolean conditional) {
    ModelConfig c = new ModelConfig(48, 2, 4, 96, T, true);
    boolean[] special = new boolean[VOCAB];
    special[1] = true; // a special id never written; padding may be: it ends a text
    return DenoiserModel.of(new LatentDiffusion(c, VOCAB, special, K, Z, conditional), c, VOCAB,
        special, root, 11, new Shape(1, T), new Shape(1, T));
  }

  static float[][] keep(int[][] ids) {
    float[][] k = new float[ids.length][T];
    for (int i = 0; i < ids.length; i++) {
      for (int j = 0; j < T; j++) {
        k[i][j] = ids[i][j] != PAD ? 1f : 0f;
      }
    }
    return k;
  }

  @Test
  void ddimFromNoiseWritesTheTextsItLearned() {
    Random r = new Random(5);
    int[][] texts = new int[4][T];
    for (int i = 0; i < texts.length; i++) {
      int len = 4 + i; // 4 … 7 words: each text ends at its own place
      for (int j = 0; j < len; j++) {
        texts[i][j] = 2 + r.nextInt(VOCAB - 2);
      }
    }
    Set<String> known = new HashSet<>();
    for (int[] t : texts) {
      known.add(Arrays.toString(Arrays.copyOf(t, end(t))));
    }
    NoiseSchedule schedule = NoiseSchedule.cosine(200);
    try (NDManager root = NDManager.newBaseManager(); var model = model(root)) {
      var ae = DenoiserModel.part(model, model.block().autoencoder(), model.special());
      try (var first = new AutoencoderTrainer(ae, 0.0, 1.0, 0.05)) {
        for (int s = 0; s < 300; s++) {
          first.step(texts, keep(texts), 3e-3);
        }
        assertEquals(1.0, first.reconstruct(texts, keep(texts)).exact(), 1e-9,
            "the autoencoder writes its four texts back");
      }
      List<int[]> all = new ArrayList<>(Arrays.asList(texts));
      LatentDiffusionTrainer.measureScale(model, all, PAD);
      try (NDManager m = root.newSubManager()) {
        NDArray z = model.block().toDiffusion(model.block().autoencoder().encode(model.store(),
            m.create(texts).toType(DataType.INT64, false), m.create(keep(texts)), false));
        NDArray flat = z.reshape(-1, Z); // (4·K, Z)
        float[] mean = flat.mean(new int[]{0}).toFloatArray();
        float[] var = flat.sub(flat.mean(new int[]{0})).square().mean(new int[]{0})
            .toFloatArray();
        for (int d = 0; d < Z; d++) {
          assertEquals(0, mean[d], 1e-3, "dimension " + d + " centred");
          assertTrue(var[d] < 1.01, "dimension " + d + " at unit scale or below: " + var[d]);
        }
      }
      double[] levels = {0.1, 0.3, 0.5, 0.7, 0.9};
      double before = Arrays.stream(LatentDiffusionTrainer.heldOutLoss(model, schedule, texts,
          PAD, levels, 4)).average().orElseThrow();
      try (var second = new LatentDiffusionTrainer(model, schedule, 0.0, 1.0)) {
        Random noise = new Random(8);
        for (int s = 0; s < 400; s++) {
          second.step(texts, keep(texts), 2e-3, noise);
        }
      }
      double after = Arrays.stream(LatentDiffusionTrainer.heldOutLoss(model, schedule, texts,
          PAD, levels, 4)).average().orElseThrow();
      // a network that predicts no noise errs by E[ε²] = 1: adaLN-Zero starts exactly there
      assertEquals(1.0, before, 0.1, "the untrained denoiser predicts nothing");
      assertTrue(after < 0.6 * before, "denoising error " + before + " → " + after);

      var run = LatentDiffusionTrainer.sample(model, schedule, 16, 25, 0.0, 21);
      assertEquals(25, run.steps());
      assertEquals(26, run.denoised().size());
      assertTrue(run.level()[0] > 0.99 && run.level()[25] == 0, "from noise to the data");
      var again = LatentDiffusionTrainer.sample(model, schedule, 16, 25, 0.0, 21);
      assertTrue(Arrays.equals(run.denoised().getLast(), again.denoised().getLast()),
          "DDIM with η 0 is deterministic");
      int[][] written;
      try (NDManager m = root.newSubManager()) {
        written = AutoencoderTrainer.decode(ae, m, m.create(run.denoised().getLast(),
            new Shape(16, K, Z)), m.ones(new Shape(16, T)), T).written();
      }
      int found = 0;
      Set<String> which = new HashSet<>();
      for (int[] w : written) {
        String text = Arrays.toString(Arrays.copyOf(w, end(w)));
        if (known.contains(text)) {
          found++;
          which.add(text);
        }
      }
      System.out.println("latent diffusion: error " + before + " → " + after + "; " + found
          + " of 16 samples are training texts, " + which.size() + " distinct");
      assertTrue(found >= 12, found + " of 16 samples are training texts");
      assertTrue(which.size() >= 2, "more than one of them: " + which);

      // η 1: DDPM's fresh noise at every step, drawn from the seed — the same seed the same
      // latents, another path than η 0's from the same start, still to the learned texts
      var noisy = LatentDiffusionTrainer.sample(model, schedule, 16, 25, 1.0, 21);
      var noisyAgain = LatentDiffusionTrainer.sample(model, schedule, 16, 25, 1.0, 21);
      assertArrayEquals(noisy.denoised().getLast(), noisyAgain.denoised().getLast(),
          "the noise of η 1 comes from the seed");
      assertArrayEquals(run.denoised().getFirst(), noisy.denoised().getFirst(),
          "both start from the seed's noise");
      assertFalse(Arrays.equals(run.denoised().getLast(), noisy.denoised().getLast()),
          "η 1 takes another path than η 0");
      int noisyFound = 0;
      try (NDManager m = root.newSubManager()) {
        for (int[] w : AutoencoderTrainer.decode(ae, m, m.create(noisy.denoised().getLast(),
            new Shape(16, K, Z)), m.ones(new Shape(16, T)), T).written()) {
          noisyFound += known.contains(Arrays.toString(Arrays.copyOf(w, end(w)))) ? 1 : 0;
        }
      }
      System.out.println("latent diffusion, η 1: " + noisyFound + " of 16 are training texts");
      assertTrue(noisyFound >= 10, noisyFound + " of 16 samples with η 1 are training texts");

      // a noise temperature scales the start: what the seed's noise reads (latents kept in
      // (−1, 1), so where none of the three is clipped) is affine in it
      float[] t1 = run.denoised().getFirst();
      float[] half = LatentDiffusionTrainer.sample(model, schedule, 16, 25, 0.0, null, 1.0, 0.5,
          21).denoised().getFirst();
      float[] quarter = LatentDiffusionTrainer.sample(model, schedule, 16, 25, 0.0, null, 1.0,
          0.25, 21).denoised().getFirst();
      int compared = 0;
      for (int j = 0; j < t1.length; j++) {
        if (Math.abs(t1[j]) < 0.999f && Math.abs(half[j]) < 0.999f
            && Math.abs(quarter[j]) < 0.999f) {
          assertEquals(t1[j] - half[j], 2 * (half[j] - quarter[j]), 1e-4, "entry " + j);
          compared++;
        }
      }
      assertTrue(compared > t1.length / 4, compared + " of " + t1.length + " unclipped");
    }
  }

  /**
   * CodeFusion's encoder–diffusion–decoder on four prompt → response pairs whose responses are
   * random and unrelated to their prompts: after the autoencoder learns the responses and the
   * denoiser learns them under cross-attention to the prompt's encoder, DDIM from fresh noise
   * answers each prompt with its own response — with guidance too — while the same denoiser
   * without a prompt writes responses of all four.
   */
  @Test
  void aConditionalModelAnswersEachPromptWithItsOwnResponse() {
    Random r = new Random(9);
    int[][] prompts = new int[4][3];
    int[][] responses = new int[4][T];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        prompts[i][j] = 2 + r.nextInt(VOCAB - 2);
      }
      for (int j = 0; j < 4 + i; j++) {
        responses[i][j] = 2 + r.nextInt(VOCAB - 2);
      }
    }
    float[][] promptKeep = new float[4][3];
    for (float[] row : promptKeep) {
      Arrays.fill(row, 1f);
    }
    var inputs = new LatentDiffusionTrainer.Inputs(prompts, promptKeep);
    NoiseSchedule schedule = NoiseSchedule.cosine(200);
    try (NDManager root = NDManager.newBaseManager(); var model = model(root, true)) {
      assertTrue(model.block().isConditional());
      var ae = DenoiserModel.part(model, model.block().autoencoder(), model.special());
      try (var first = new AutoencoderTrainer(ae, 0.0, 1.0, 0.05)) {
        for (int s = 0; s < 300; s++) {
          first.step(responses, keep(responses), 3e-3);
        }
      }
      LatentDiffusionTrainer.measureScale(model, Arrays.asList(responses), PAD);
      try (var second = new LatentDiffusionTrainer(model, schedule, 0.0, 1.0)) {
        Random noise = new Random(8);
        for (int s = 0; s < 800; s++) {
          second.step(responses, keep(responses), inputs, 0.1, 2e-3, noise);
        }
      }
      // each prompt asked four times
      int[][] asked = new int[16][];
      float[][] askedKeep = new float[16][];
      for (int i = 0; i < 16; i++) {
        asked[i] = prompts[i % 4];
        askedKeep[i] = promptKeep[i % 4];
      }
      var ask = new LatentDiffusionTrainer.Inputs(asked, askedKeep);
      for (double guidance : new double[]{1.0, 2.0}) {
        var run = LatentDiffusionTrainer.sample(model, schedule, 16, 25, 0.0, ask, guidance, 1.0,
            31);
        int[][] written = decode(root, ae, run.denoised().getLast(), 16);
        int right = 0;
        for (int i = 0; i < 16; i++) {
          int[] want = Arrays.copyOf(responses[i % 4], end(responses[i % 4]));
          right += Arrays.equals(want, Arrays.copyOf(written[i], end(written[i]))) ? 1 : 0;
        }
        System.out.println("CodeFusion, guidance " + guidance + ": " + right
            + " of 16 answers are their prompt's response");
        assertTrue(right >= (guidance > 1 ? 14 : 12),
            "guidance " + guidance + ": " + right + " of 16 right");
      }
      var free = LatentDiffusionTrainer.sample(model, schedule, 16, 25, 0.0, null, 1.0, 1.0, 32);
      Set<String> which = new HashSet<>();
      for (int[] w : decode(root, ae, free.denoised().getLast(), 16)) {
        which.add(Arrays.toString(Arrays.copyOf(w, end(w))));
      }
      assertTrue(which.size() >= 2, "without a prompt, more than one response: " + which);
    }
  }

  private static int[][] decode(NDManager root, DenoiserModel<TextAutoencoder> ae,
      float[] latents, int n) {
    try (NDManager m = root.newSubManager()) {
      return AutoencoderTrainer.decode(ae, m, m.create(latents, new Shape(n, K, Z)),
          m.ones(new Shape(n, T)), T).written();
    }
  }

  private static int end(int[] w) {
    for (int j = 0; j < w.length; j++) {
      if (w[j] == PAD) {
        return j;
      }
    }
    return w.length;
  }

  @Test
  void theStepOfANoiseLevelIsTheOneNearestIt() {
    NoiseSchedule s = NoiseSchedule.cosine(1000);
    for (double level : new double[]{0.1, 0.5, 0.9}) {
      int t = LatentDiffusionTrainer.stepAtNoise(s, level);
      assertEquals(level, 1 - s.alphaBar(t), 0.005);
    }
    assertEquals(1, LatentDiffusionTrainer.stepAtNoise(s, 0));
    assertEquals(1000, LatentDiffusionTrainer.stepAtNoise(s, 1));
  }
}
