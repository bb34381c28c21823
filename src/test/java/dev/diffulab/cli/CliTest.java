package dev.diffulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {
    JsonObject json() {
      return JsonParser.parseString(out).getAsJsonObject();
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = DiffuLabCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void infoJsonNamesEngineAndDevice() {
    Run r = run("info", "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = r.json();
    assertEquals("PyTorch", o.get("engine").getAsString());
    assertTrue(o.get("device").getAsString().startsWith("CPU"));
    assertTrue(o.get("cores").getAsInt() >= 1);
    assertFalse(o.get("engine_version").getAsString().isEmpty());
    assertTrue(o.has("version"));
  }

  @Test
  void writtenTinyTalesAreAllAcceptedAndMeasured() throws Exception {
    Path f = dir.resolve("tales.txt");
    assertEquals(0, run("corpus", "tinytales", "--count", "300", "--seed", "3", "--out",
        f.toString()).code());
    Run v = run("corpus", "validate", f.toString(), "--json");
    assertEquals(0, v.code(), v.err());
    assertEquals(300, v.json().get("checked").getAsInt());
    assertEquals(1.0, v.json().get("accepted_fraction").getAsDouble());
    Run s = run("corpus", "stats", "--corpus", f.toString(), "--json");
    assertEquals(0, s.code(), s.err());
    assertEquals(300, s.json().get("documents").getAsInt());
    assertEquals(0.0, s.json().get("unknown_rate").getAsDouble());
    double h = s.json().get("unigram_entropy_nats").getAsDouble();
    assertTrue(h > 3 && h < Math.log(300), "entropy " + h);
    assertTrue(s.json().get("tokens").getAsLong() >= 300 * 40);
  }

  @Test
  void validateReportsTheFirstErrorsOfBadStories() throws Exception {
    Path f = dir.resolve("bad.txt");
    Files.writeString(f, "There was once a shy girl named Lily. He went to the park. "
        + "She felt happy and smiled.\n<|endoftext|>\n");
    Run v = run("corpus", "validate", f.toString(), "--json");
    assertEquals(0, v.json().get("accepted").getAsInt());
    assertTrue(v.json().get("first_errors").toString().contains("pronoun 'He'"), v.out());
  }

  @Test
  void badInputExitsTwoWithOneLineNamingTheFile() {
    Run r = run("corpus", "stats", "--corpus", dir.resolve("missing.txt").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("missing.txt does not exist"), r.err());
    Run u = run("corpus", "validate");
    assertEquals(2, u.code());
    Run t = run("corpus", "stats", "--corpus", "tinytales", "--tokenizer",
        dir.resolve("no-tokenizer.json").toString());
    assertEquals(2, t.code());
    assertTrue(t.err().contains("no-tokenizer.json"), t.err());
  }

  @Test
  void benchJsonReportsEveryShapeWithRealTokensAndALargeVocabulary() {
    Run r = run("bench", "--json", "--steps", "1");
    assertEquals(0, r.code(), r.err());
    JsonObject o = r.json();
    assertTrue(o.get("device").getAsString().startsWith("CPU"));
    assertTrue(o.get("matmul_gflops").getAsDouble() > 0);
    for (String shape : new String[]{"masked", "cdcd", "large_vocab"}) {
      JsonObject t = o.getAsJsonObject(shape);
      assertTrue(t.get("tokens_per_s").getAsDouble() > 0, shape);
      assertTrue(t.get("mfu").getAsDouble() > 0 && t.get("mfu").getAsDouble() < 1, shape);
      double real = t.get("real_token_fraction").getAsDouble();
      assertTrue(real > 0.5 && real <= 1, shape + " real tokens " + real);
    }
    assertEquals(30_522, o.getAsJsonObject("large_vocab").get("vocab").getAsInt());
    assertTrue(o.get("startup_engine_ready_s").getAsDouble() > 0, "start-up as a user waits");
    for (String shape : new String[]{"quick-test-images", "demo-images"}) {
      JsonObject images = o.getAsJsonObject("images").getAsJsonObject(shape);
      assertEquals(64, images.get("batch").getAsInt());
      assertTrue(images.get("images_per_s").getAsDouble() > 0
          && images.get("sample_ms_per_step").getAsDouble() > 0, images.toString());
      double mfu = images.get("mfu").getAsDouble();
      assertTrue(mfu > 0 && mfu < 1, shape + " MFU " + mfu);
      // a guided step is two passes; the grid makes as many as the config's guidance interval
      var c = dev.diffulab.core.gaussian.GaussianConfig.loadOrShipped(Path.of(shape));
      int passes = dev.diffulab.engine.gaussian.GaussianSampler.Request.of(
          c.sampler().withSteps(50), 64, new int[64], 3, false).passes(c.schedule());
      assertTrue(passes >= 50 && passes <= 100, shape + ": " + passes + " passes");
      assertEquals(images.get("sample_ms_per_step").getAsDouble() * passes / 2 / 1000,
          images.get("ddim50_grid64_s").getAsDouble(), 1e-9);
    }
    // a diffusion family and the autoregressive baseline of the same size, side by side
    JsonObject tasks = o.getAsJsonObject("tasks");
    assertEquals("masked", tasks.getAsJsonObject("quick-test-multiplication").get("method")
        .getAsString());
    JsonObject ar = tasks.getAsJsonObject("quick-test-multiplication-ar");
    assertEquals("autoregressive", ar.get("method").getAsString());
    assertEquals(tasks.getAsJsonObject("quick-test-multiplication").get("parameters").getAsLong(),
        ar.get("parameters").getAsLong(), "the same size");
    for (String shape : tasks.keySet()) {
      JsonObject t = tasks.getAsJsonObject(shape);
      assertTrue(t.get("answers_per_s").getAsDouble() > 0, t.toString());
      assertTrue(t.getAsJsonObject("training").get("tokens_per_s").getAsDouble() > 0,
          t.toString());
    }
    double demo = o.get("startup_demo_generate_s").getAsDouble();
    assertTrue(Double.isNaN(demo) || demo > 0, "the demo's first samples: " + demo);
    assertTrue(o.get("sample_ms_per_step_b1").getAsDouble() > 0);
    assertTrue(o.get("sample_ms_per_step_b16").getAsDouble() > 0);
    assertTrue(o.get("peak_rss_mb").getAsDouble() > 0);
    assertEquals(2, run("bench", "--steps", "0").code(), "a bad --steps is the user's error");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String[] cmd : new String[][]{{"train"}, {"generate"}, {"evaluate"}, {"bench"},
        {"info"}, {"corpus"}, {"corpus", "stats"}, {"corpus", "tokenizer"}}) {
      String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
      args[cmd.length] = "--help";
      Run r = run(args);
      assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.out().contains("Usage:"), String.join(" ", args) + ": " + r.out());
    }
  }

  @Test
  void aLargeTokenizerIsTheTinyTalesVocabularyPaddedToTheAskedSize() throws Exception {
    Path f = dir.resolve("big.json");
    assertEquals(0, run("corpus", "tokenizer", "--size", "3000", "--out", f.toString()).code());
    Run s = run("corpus", "stats", "--corpus", "tinytales", "--tokenizer", f.toString(),
        "--json");
    assertEquals(0, s.code(), s.err());
    assertEquals(3000, s.json().get("vocabulary_size").getAsInt());
    assertEquals(0.0, s.json().get("unknown_rate").getAsDouble(), "TinyTales words all kept");
    assertEquals(2, run("corpus", "tokenizer", "--size", "100", "--out", f.toString()).code());
  }
}
