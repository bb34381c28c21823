package dev.diffulab.cli;

import static dev.diffulab.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.masking.MaskRequest;
import dev.diffulab.engine.method.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text autoencoder as a family of the command line: a tiny one trains on TinyTales through
 * the same trainer, with its held-out reconstruction measured at every evaluation; its
 * checkpoint opens as a model that writes texts back from latents noised at any level, and
 * {@code evaluate} and {@code generate} run on it. A config it cannot run is refused by key.
 */
class AutoencoderCliTest {
  static String config(int steps, String data) {
    return "{\"name\": \"tiny-autoencoder\", \"method\": \"autoencoder\", \"seed\": 3,"
        + " \"model\": {\"d_model\": 32, \"layers\": 1, \"heads\": 2, \"ffn\": 64,"
        + " \"seq_len\": 40},"
        + " \"data\": {\"corpus\": \"tinytales\", \"tokenizer\": \"tinytales\","
        + " \"tinytales_stories\": 120, \"validation_fraction\": 0.1" + data + "},"
        + " \"train\": {\"steps\": " + steps + ", \"batch_size\": 8, \"learning_rate\": 0.003,"
        + " \"warmup_steps\": 2, \"log_every\": 5, \"eval_every\": 10, \"sample_every\": 10,"
        + " \"preview_samples\": 2},"
        + " \"autoencoder\": {\"latents\": 4, \"latent_dim\": 8, \"latent_noise\": 0.1}}";
  }

  @Test
  void trainsReconstructsAndOpensAsAModel(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("ae.json");
    Files.writeString(cfg, config(20, ""));
    Path out = dir.resolve("run");
    CliTest.Run t = run("train", "--config", cfg.toString(), "--out", out.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("held-out reconstruction cross-entropy"), t.out());
    assertTrue(t.out().contains("val_reconstruction_exact"), t.out());

    try (NDManager m = NDManager.newBaseManager(); LoadedModel lm = LoadedModel.open(out, m)) {
      var tok = lm.tokenizer();
      int[] ids = tok.encode("Tom had a red ball.");
      boolean[] all = new boolean[ids.length];
      java.util.Arrays.fill(all, true);
      // the same level and seed write the same text; the noise comes from the request's seed
      var a = lm.method().predict(lm, new MaskRequest(1, ids, all, 0, 0.5, 9));
      var b = lm.method().predict(lm, new MaskRequest(2, ids, all, 0, 0.5, 9));
      assertEquals(ids.length, a.topTokens().length);
      for (int i = 0; i < ids.length; i++) {
        assertTrue(a.topTokens()[i].length > 0, "position " + i + " is written");
        assertEquals(a.topTokens()[i][0], b.topTokens()[i][0]);
      }
      double[][] curve = lm.method().curve(lm, java.util.List.of(ids));
      assertEquals(10, curve[0].length);
      assertTrue(curve[1][9] > 0, "the loss with the latent all noise");
    }

    CliTest.Run e = run("evaluate", "--checkpoint", out.toString(), "--num-samples", "2",
        "--json");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("reconstruction_exact"), e.out());
    assertTrue(e.out().contains("reconstruction_token_accuracy"), e.out());
    CliTest.Run g = run("generate", "--checkpoint", out.toString(), "--num-samples", "2");
    assertEquals(0, g.code(), g.err());
  }

  @Test
  void aPackedOrPairConfigIsRefusedByKey(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("ae.json");
    Files.writeString(cfg, config(5, ", \"packing\": true"));
    CliTest.Run t = run("train", "--config", cfg.toString(), "--out", dir.resolve("o")
        .toString());
    assertEquals(2, t.code(), t.out() + t.err());
    assertTrue(t.err().contains("data.packing"), t.err());
  }
}
