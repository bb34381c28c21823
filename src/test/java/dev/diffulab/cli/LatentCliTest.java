package dev.diffulab.cli;

import static dev.diffulab.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.engine.latent.LatentDiffusion;
import dev.diffulab.engine.method.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Latent text diffusion from the command line: a tiny run trains its autoencoder, switches to
 * the denoiser at {@code autoencoder.first_steps}, and its checkpoint — autoencoder, denoiser
 * and the latents' measured scale in one — opens as a model that samples by DDIM (the same seed
 * the same texts, a trace step for every DDIM step), restores noised latents, evaluates and
 * generates; a run resumed past the switch goes on training the denoiser.
 */
class LatentCliTest {
  static String config(int steps, int first, String data) {
    return "{\"name\": \"tiny-latent\", \"method\": \"latent\", \"seed\": 5,"
        + " \"model\": {\"d_model\": 32, \"layers\": 1, \"heads\": 2, \"ffn\": 64,"
        + " \"seq_len\": 72},"
        + " \"data\": {\"corpus\": \"tinytales\", \"tokenizer\": \"tinytales\","
        + " \"tinytales_stories\": 120, \"validation_fraction\": 0.1" + data + "},"
        + " \"train\": {\"steps\": " + steps + ", \"batch_size\": 8, \"learning_rate\": 0.003,"
        + " \"warmup_steps\": 2, \"log_every\": 4, \"eval_every\": 8, \"sample_every\": 8,"
        + " \"checkpoint_every\": 8, \"preview_samples\": 2},"
        + " \"sampler\": {\"steps\": 6},"
        + " \"autoencoder\": {\"latents\": 4, \"latent_dim\": 8, \"latent_noise\": 0.1,"
        + " \"first_steps\": " + first + ", \"diffusion_steps\": 100}}";
  }

  @Test
  void trainsBothStagesAndOpensAsOneModel(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("latent.json");
    // the denoiser's stage is longer than the slack the resume check allows for skipped steps,
    // so resuming below proves the check counts the updates of the stage's own optimiser
    Files.writeString(cfg, config(40, 8, ""));
    Path out = dir.resolve("run");
    CliTest.Run t = run("train", "--config", cfg.toString(), "--out", out.toString());
    assertEquals(0, t.code(), t.err());
    // the autoencoder's stage is measured by reconstruction, the denoiser's by its error
    assertTrue(t.out().contains("val_reconstruction_exact"), t.out());
    assertTrue(t.out().contains("val_latent_mse"), t.out());

    try (NDManager m = NDManager.newBaseManager(); LoadedModel lm = LoadedModel.open(out, m)) {
      LatentDiffusion ld = lm.model().as(LatentDiffusion.class).block();
      float[] spread = ld.spread().toFloatArray();
      boolean measured = false;
      for (float s : spread) {
        measured |= Math.abs(s - 1f) > 1e-4;
      }
      assertTrue(measured, "the latents' scale was measured at the switch and saved");

      var s = lm.config().sampler();
      int[] progress = new int[2];
      List<DenoiseTrace> a = lm.sample(s, new int[]{10, 10}, new int[0], 77, null,
          (i, n) -> {
            progress[0] = i;
            progress[1] = n;
          });
      List<DenoiseTrace> b = lm.sample(s, new int[]{10, 10}, new int[0], 77, null);
      assertEquals(6, progress[1]);
      assertEquals(6, a.getFirst().stepCount(), "a decoded x̂₀ for every DDIM step");
      assertEquals(7, a.getFirst().steps().size(), "and what the noise it starts from reads");
      assertEquals(a.getFirst().finalText(), b.getFirst().finalText(), "DDIM is deterministic");
      assertEquals(a.get(1).finalText(), b.get(1).finalText());
      for (TraceStep step : a.getFirst().steps()) {
        assertEquals(a.getFirst().steps().getLast().tokens().length, step.tokens().length);
      }
      double first = a.getFirst().steps().getFirst().level();
      double last = a.getFirst().steps().getLast().level();
      assertTrue(first > 0.9 && last == 0, "from noise to the data: " + first + " → " + last);

      var tok = lm.tokenizer();
      int[] ids = tok.encode("Tom had a red ball.");
      boolean[] all = new boolean[ids.length];
      java.util.Arrays.fill(all, true);
      var p = lm.method().predict(lm, new MaskRequest(1, ids, all, 0, 0.5, 9));
      var q = lm.method().predict(lm, new MaskRequest(2, ids, all, 0, 0.5, 9));
      for (int i = 0; i < ids.length; i++) {
        assertTrue(p.topTokens()[i].length > 0, "position " + i + " is written");
        assertArrayEquals(p.topTokens()[i], q.topTokens()[i]);
      }
      double[][] curve = lm.method().curve(lm, List.of(ids));
      assertEquals(10, curve[0].length);
      assertTrue(curve[1][9] > 0, "the error with the latent all noise");
    }

    CliTest.Run e = run("evaluate", "--checkpoint", out.toString(), "--num-samples", "3",
        "--json");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("reconstruction_exact"), e.out());
    assertTrue(e.out().contains("val_latent_mse"), e.out());
    assertTrue(e.out().contains("valid_fraction"), e.out());
    CliTest.Run g = run("generate", "--checkpoint", out.toString(), "--num-samples", "2",
        "--json");
    assertEquals(0, g.code(), g.err());
    assertTrue(g.out().contains("DDIM, 6 steps, η 0;"), "deterministic by default: " + g.out());
    // DDIM's η for one command: DDPM's fresh noise, named in the sampler's label
    CliTest.Run noisy = run("generate", "--checkpoint", out.toString(), "--num-samples", "2",
        "--eta", "1", "--json");
    assertEquals(0, noisy.code(), noisy.err());
    assertTrue(noisy.out().contains("DDIM, 6 steps, η 1;"), noisy.out());
    assertFalse(noisy.err().contains("--eta"), "a latent model reads it: " + noisy.err());
    CliTest.Run cool = run("generate", "--checkpoint", out.toString(), "--num-samples", "2",
        "--noise-temperature", "0.5", "--json");
    assertEquals(0, cool.code(), cool.err());
    assertTrue(cool.out().contains("DDIM, 6 steps, η 0, noise temperature 0.5;"), cool.out());
    CliTest.Run badNoise = run("generate", "--checkpoint", out.toString(),
        "--noise-temperature", "0");
    assertEquals(2, badNoise.code());
    assertTrue(badNoise.err().contains("--noise-temperature must be in"), badNoise.err());
    CliTest.Run badEta = run("generate", "--checkpoint", out.toString(), "--eta", "1.5");
    assertEquals(2, badEta.code());
    assertTrue(badEta.err().contains("--eta must be in [0, 1]"), badEta.err());

    // resumed past the switch with more steps: the denoiser goes on, the autoencoder stays
    Path more = dir.resolve("more");
    float[] embeddingBefore;
    try (NDManager m = NDManager.newBaseManager(); LoadedModel lm = LoadedModel.open(out, m)) {
      embeddingBefore = lm.model().as(LatentDiffusion.class).block().autoencoder()
          .getParameters().get("token_embedding").getArray().toFloatArray();
    }
    CliTest.Run r = run("train", "--resume", out.toString(), "--out", more.toString(),
        "--steps", "48");
    assertEquals(0, r.code(), r.err());
    try (NDManager m = NDManager.newBaseManager(); LoadedModel lm = LoadedModel.open(more, m)) {
      assertEquals(48, lm.manifest().step());
      float[] after = lm.model().as(LatentDiffusion.class).block().autoencoder()
          .getParameters().get("token_embedding").getArray().toFloatArray();
      assertArrayEquals(embeddingBefore, after, "the frozen autoencoder did not move");
    }
  }

  @Test
  void aConfigWithoutRoomForBothStagesIsRefusedByKey(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("latent.json");
    Files.writeString(cfg, config(8, 8, ""));
    CliTest.Run t = run("train", "--config", cfg.toString(), "--out", dir.resolve("o")
        .toString());
    assertEquals(2, t.code(), t.out() + t.err());
    assertTrue(t.err().contains("autoencoder.first_steps"), t.err());
    Files.writeString(cfg, config(16, 8, ", \"packing\": true"));
    CliTest.Run p = run("train", "--config", cfg.toString(), "--out", dir.resolve("p")
        .toString());
    assertEquals(2, p.code(), p.out() + p.err());
    assertTrue(p.err().contains("data.packing"), p.err());
    assertNotEquals(0, p.code());
  }

  /**
   * On the summary task the run is CodeFusion's encoder–diffusion–decoder: the autoencoder learns
   * the summaries, the denoiser reads each story by cross-attention; the run answers held-out
   * stories live (graded fact by fact), its checkpoint answers a story with the story kept
   * given at the top of every step, the Noising view noises only the summary, and
   * {@code evaluate} grades it as the other pair models.
   */
  @Test
  void onPairsItSummarisesAStoryItReadsByCrossAttention(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("codefusion.json");
    Files.writeString(cfg, config(16, 8, "").replace("\"corpus\": \"tinytales\"",
        "\"corpus\": \"tinytales-summaries\", \"task_examples\": 200")
        .replace("\"seq_len\": 72", "\"seq_len\": 128")
        // guidance where configs kept it before it became a sampler setting: still read
        .replace("\"diffusion_steps\": 100", "\"diffusion_steps\": 100, \"guidance\": 1.5"));
    Path out = dir.resolve("run");
    CliTest.Run t = run("train", "--config", cfg.toString(), "--out", out.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("val_reconstruction_exact"), t.out());
    assertTrue(t.out().contains("val_fact_share"), t.out());
    assertTrue(t.out().contains("val_latent_mse_without_prompt"), t.out());
    assertTrue(t.out().contains("val_latent_mse"), t.out());

    try (NDManager m = NDManager.newBaseManager(); LoadedModel lm = LoadedModel.open(out, m)) {
      assertTrue(lm.model().as(LatentDiffusion.class).block().isConditional());
      assertEquals(1.5, lm.config().sampler().guidance(), 0.0);
      var tok = lm.tokenizer();
      int sep = tok.sepId();
      int[] prompt = dev.diffulab.core.pairs.PairTokens.prompt(tok.encode(
          "Tom was a little dog. He had a red ball. He lost it in the park."), sep);
      List<DenoiseTrace> answers = lm.method().answer(lm, lm.config().sampler(),
          List.of(prompt, prompt), 128, 4, null);
      assertEquals(2, answers.size());
      DenoiseTrace a = answers.getFirst();
      assertEquals(prompt.length, a.prefixLength());
      assertEquals(a.finalText(), lm.method().answer(lm, lm.config().sampler(),
          List.of(prompt, prompt), 128, 4, null).getFirst().finalText(), "DDIM, η 0, one seed");
      int[] canvas = a.last().tokens();
      assertArrayEquals(prompt, java.util.Arrays.copyOf(canvas, prompt.length),
          "the story stays given at the top");
      assertEquals(sep, canvas[canvas.length - 1], "the response ends as a pair row does");

      List<DenoiseTrace> traced = lm.sample(lm.config().sampler(), new int[]{10}, prompt, 5,
          null, (i, n) -> {
          });
      assertEquals(7, traced.getFirst().steps().size(), "the noise, then every DDIM step");
      for (TraceStep step : traced.getFirst().steps()) {
        for (int j = 0; j < prompt.length; j++) {
          assertEquals(dev.diffulab.core.snapshot.TokenState.GIVEN, step.states()[j]);
        }
      }

      int[] summary = tok.encode("Tom lost a red ball in the park.");
      int[] row = dev.diffulab.core.pairs.PairTokens.row(tok.encode(
          "Tom was a little dog. He had a red ball. He lost it in the park."), summary, sep, 0);
      boolean[] all = new boolean[row.length];
      java.util.Arrays.fill(all, true);
      var p = lm.method().predict(lm, new MaskRequest(1, row, all, 0, 0.3, 9));
      for (int i = 0; i < row.length; i++) {
        // the summary and its end token
        boolean inSummary = i >= prompt.length && i <= prompt.length + summary.length;
        assertEquals(inSummary, p.topTokens()[i].length > 0, "position " + i
            + ": only the summary is noised and written back");
      }
      double[][] curve = lm.method().curve(lm, List.of(row));
      assertTrue(curve[1][9] > 0, "the error with the summary's latent all noise");
    }

    CliTest.Run e = run("evaluate", "--checkpoint", out.toString(), "--num-samples", "4",
        "--json");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("fact_share") && e.out().contains("exact_accuracy"), e.out());
    assertTrue(e.out().contains("DDIM, 6 steps") && e.out().contains("guidance 1.5"),
        "answers sampled by DDIM with the checkpoint's guidance: " + e.out());
    // guidance set for one command: no prompt at all (0) answers otherwise than the prompt read
    CliTest.Run g0 = run("generate", "--checkpoint", out.toString(), "--num-samples", "2",
        "--prefix", "Tom was a little dog. He had a red ball. He lost it in the park.",
        "--guidance", "0", "--json");
    CliTest.Run g1 = run("generate", "--checkpoint", out.toString(), "--num-samples", "2",
        "--prefix", "Tom was a little dog. He had a red ball. He lost it in the park.",
        "--guidance", "1", "--json");
    assertEquals(0, g0.code(), g0.err());
    assertTrue(g0.out().contains("guidance 0.0"), g0.out());
    assertFalse(g1.out().contains("guidance"), "1 is the model as trained: " + g1.out());
    CliTest.Run bad = run("generate", "--checkpoint", out.toString(), "--guidance", "-1");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--guidance"), bad.err());
    CliTest.Run multi = run("evaluate", "--checkpoint", out.toString(), "--num-samples", "2",
        "--multi-pass");
    assertEquals(2, multi.code(), multi.out() + multi.err());
    assertTrue(multi.err().contains("thought by thought"), multi.err());
  }
}
