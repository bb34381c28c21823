package dev.diffulab.cli;

import static dev.diffulab.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.diffulab.core.pairs.PairTokens;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.engine.method.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompt → response through the command line in both text families: a tiny model trains on the
 * built-in multiplication task with its held-out accuracy printed, answers without ever changing
 * the prompt it was given, and {@code evaluate} grades it with self-consistency and compares it.
 */
class PairTrainingCliTest {
  static String config(String method, int steps) {
    return "{\"name\": \"pairs-" + method + "\", \"method\": \"" + method + "\", \"seed\": 3,"
        + " \"model\": {\"d_model\": 32, \"layers\": 1, \"heads\": 2, \"ffn\": 64,"
        + " \"seq_len\": 16},"
        + " \"data\": {\"corpus\": \"multiplication-1x1\", \"tokenizer\": \"digits\","
        + " \"task_examples\": 81, \"validation_fraction\": 0.2},"
        + " \"train\": {\"steps\": " + steps + ", \"batch_size\": 16, \"learning_rate\": 0.003,"
        + " \"warmup_steps\": 2, \"log_every\": 5, \"eval_every\": 10, \"sample_every\": 10,"
        + " \"preview_samples\": 4},"
        + (method.equals("masked") ? " \"masking\": {\"scheduled_sampling\": 0.5}," : "")
        + " \"sampler\": {\"steps\": 8, \"sampling\": \"greedy\"}}";
  }

  @Test
  void bothFamiliesTrainOnPairsAndKeepThePrompt(@TempDir Path dir) throws Exception {
    List<Path> checkpoints = new ArrayList<>();
    for (String method : List.of("masked", "cdcd", "autoregressive")) {
      Path cfg = dir.resolve(method + ".json");
      Files.writeString(cfg, config(method, 20));
      Path out = dir.resolve("run-" + method);
      CliTest.Run t = run("train", "--config", cfg.toString(), "--out", out.toString());
      assertEquals(0, t.code(), t.err());
      assertTrue(t.out().contains("accuracy @10: exact"), t.out());
      assertTrue(t.out().contains("val_exact_accuracy"), t.out());
      checkpoints.add(out);
      try (NDManager m = NDManager.newBaseManager();
          LoadedModel lm = LoadedModel.open(out, m)) {
        var tok = lm.tokenizer();
        int sep = tok.sepId();
        List<int[]> prompts = new ArrayList<>();
        // prompts it never saw, and one made of odd tokens: all must come back untouched
        prompts.add(PairTokens.prompt(tok.encode("7 * 9"), sep));
        prompts.add(PairTokens.prompt(tok.encode("3 * 4"), sep));
        prompts.add(PairTokens.prompt(tok.encode("( ) + 1 2 3"), sep));
        List<DenoiseTrace> traces = lm.method().answer(lm, lm.config().sampler(), prompts,
            16, 11, null);
        // thought by thought (Diffusion of Thought's multi-pass): the question stays too
        List<DenoiseTrace> passes = dev.diffulab.engine.method.DiffusionOfThought.answer(lm,
            lm.config().sampler(), prompts, 16, 11, null, true);
        for (int b = 0; b < 3; b++) {
          int[] p = prompts.get(b);
          assertEquals(p.length, passes.get(b).prefixLength());
          for (var step : passes.get(b).steps()) {
            assertArrayEquals(p, Arrays.copyOf(step.tokens(), p.length),
                method + " multi-pass: the prompt is never changed");
          }
          assertTrue(passes.get(b).stepCount() >= 1);
        }
        assertEquals(3, traces.size());
        for (int b = 0; b < 3; b++) {
          int[] p = prompts.get(b);
          for (var step : traces.get(b).steps()) {
            assertArrayEquals(p, Arrays.copyOf(step.tokens(), p.length),
                method + ": the prompt is never changed, at any step");
          }
          assertEquals(16, traces.get(b).last().tokens().length);
        }
      }
    }
    CliTest.Run e = run("evaluate", "--checkpoint", checkpoints.get(0).toString(),
        "--num-samples", "10", "--self-consistency", "3", "--json");
    assertEquals(0, e.code(), e.err());
    JsonObject r = JsonParser.parseString(e.out()).getAsJsonObject();
    assertEquals(3, r.get("self_consistency_k").getAsInt());
    assertEquals(10, r.get("prompts").getAsInt());
    double exact = r.get("exact_accuracy").getAsDouble();
    assertTrue(exact >= 0 && exact <= 1);
    assertTrue(r.has("partial_product_share"), "the chain's partial products are graded");
    CliTest.Run multi = run("evaluate", "--checkpoint", checkpoints.get(0).toString(),
        "--num-samples", "6", "--multi-pass", "--json");
    assertEquals(0, multi.code(), multi.err());
    assertEquals("one thought a pass", JsonParser.parseString(multi.out()).getAsJsonObject()
        .get("passes").getAsString());
    CliTest.Run c = run("evaluate", "--checkpoint", checkpoints.get(0).toString(),
        "--compare", checkpoints.get(1).toString(), "--num-samples", "10", "--json");
    assertEquals(0, c.code(), c.err());
    JsonArray rows = JsonParser.parseString(c.out()).getAsJsonObject().getAsJsonArray(
        "compare");
    assertEquals(2, rows.size());
    CliTest.Run three = run("evaluate", "--checkpoint", checkpoints.get(0).toString(),
        "--compare", checkpoints.get(1).toString(), checkpoints.get(2).toString(),
        "--num-samples", "5", "--json");
    assertEquals(0, three.code(), three.err());
    var ar = JsonParser.parseString(three.out()).getAsJsonObject()
        .getAsJsonArray("compare").get(2).getAsJsonObject();
    assertEquals("autoregressive", ar.get("method").getAsString());
    // each family's answers described in its own words, not the masked sampler's
    assertTrue(ar.get("sampler").getAsString().startsWith("left to right"), ar.toString());
    assertEquals("masked", rows.get(0).getAsJsonObject().get("method").getAsString());
    assertEquals("cdcd", rows.get(1).getAsJsonObject().get("method").getAsString());
    CliTest.Run table = run("evaluate", "--checkpoint", checkpoints.get(0).toString(),
        "--compare", checkpoints.get(1).toString(), "--num-samples", "5");
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().lines().findFirst().orElse("").contains("exact"), table.out());
    assertEquals(3, table.out().lines().count(), table.out());
    assertEquals(2, run("evaluate", "--checkpoint", checkpoints.get(0).toString(),
        "--self-consistency", "0").code());
    CliTest.Run steps = run("evaluate", "--checkpoint", checkpoints.get(0).toString(),
        "--by-steps", "2,8", "--num-samples", "5", "--json");
    assertEquals(0, steps.code(), steps.err());
    JsonArray bySteps = JsonParser.parseString(steps.out()).getAsJsonObject().getAsJsonArray(
        "by_steps");
    assertEquals(2, bySteps.size());
    assertEquals(8, bySteps.get(1).getAsJsonObject().get("steps").getAsInt());
  }

  @Test
  void theSummaryTaskTrainsAndIsGradedFactByFact(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("summaries.json");
    Files.writeString(cfg, "{\"name\": \"sum\", \"seed\": 3, \"model\": {\"d_model\": 32,"
        + " \"layers\": 1, \"heads\": 2, \"ffn\": 64, \"seq_len\": 128}, \"data\": {\"corpus\":"
        + " \"tinytales-summaries\", \"task_examples\": 300, \"validation_fraction\": 0.1},"
        + " \"train\": {\"steps\": 10, \"batch_size\": 8, \"eval_every\": 10, \"sample_every\":"
        + " 0}, \"sampler\": {\"steps\": 8, \"sampling\": \"greedy\"}}");
    Path out = dir.resolve("run");
    CliTest.Run t = run("train", "--config", cfg.toString(), "--out", out.toString());
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("val_fact_share"), t.out());
    CliTest.Run e = run("evaluate", "--checkpoint", out.toString(), "--num-samples", "4",
        "--json");
    assertEquals(0, e.code(), e.err());
    JsonObject r = JsonParser.parseString(e.out()).getAsJsonObject();
    assertTrue(r.has("fact_share") && r.has("exact_accuracy"), e.out());
    // a story too long for the model is refused with its number, before training
    Files.writeString(cfg, Files.readString(cfg).replace("\"seq_len\": 128",
        "\"seq_len\": 40"));
    CliTest.Run tooLong = run("train", "--config", cfg.toString(), "--out",
        dir.resolve("short").toString());
    assertEquals(2, tooLong.code());
    assertTrue(tooLong.err().contains("longer than model.seq_len 40"), tooLong.err());
  }
}
