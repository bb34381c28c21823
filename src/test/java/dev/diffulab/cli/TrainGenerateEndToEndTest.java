package dev.diffulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.diffulab.core.checkpoint.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny model trained for real on TinyTales through the command line, in seconds. */
class TrainGenerateEndToEndTest {
  @TempDir
  Path dir;

  private Path tinyConfig() throws Exception {
    Path c = dir.resolve("tiny.json");
    Files.writeString(c, """
        {"name": "tiny", "method": "masked", "device": "cpu", "seed": 3,
         "model": {"d_model": 48, "layers": 1, "heads": 4, "ffn": 96, "seq_len": 64},
         "data": {"tinytales_stories": 400, "validation_fraction": 0.1},
         "train": {"steps": 100, "batch_size": 16, "learning_rate": 0.004, "warmup_steps": 10,
                   "log_every": 10, "eval_every": 50, "sample_every": 0},
         "sampler": {"steps": 12, "num_samples": 2}}
        """);
    return c;
  }

  private static List<Double> losses(String out) {
    List<Double> l = new ArrayList<>();
    Matcher m = Pattern.compile("step \\d+/\\d+\\s+loss ([0-9.]+)").matcher(out);
    while (m.find()) {
      l.add(Double.parseDouble(m.group(1)));
    }
    return l;
  }

  @Test
  void trainLowersTheLossThenGenerateTracesKPlusOneStatesAndResumeContinues() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    CliTest.Run train = CliTest.run("train", "--config", tinyConfig().toString(), "--out",
        ckpt.toString());
    assertEquals(0, train.code(), train.err());
    List<Double> l = losses(train.out());
    assertTrue(l.getLast() < l.getFirst() - 1.0, "loss did not fall: " + l);
    for (String f : List.of("config.json", "tokenizer.json", "model.params", "optimizer.ndlist",
        "manifest.json")) {
      assertTrue(Files.isRegularFile(ckpt.resolve(f)), f);
    }
    Manifest m = Manifest.parse(Files.readString(ckpt.resolve("manifest.json")), "manifest");
    assertEquals(100, m.step());
    assertEquals(3, m.seed());
    assertFalse(m.dataHash().isEmpty());

    Path trace = dir.resolve("trace.json");
    CliTest.Run gen = CliTest.run("generate", "--checkpoint", ckpt.toString(), "--steps", "12",
        "--num-samples", "2", "--trace", trace.toString(), "--json", "--seed", "4");
    assertEquals(0, gen.code(), gen.err());
    assertEquals(2, gen.json().getAsJsonArray("samples").size());
    JsonArray samples = JsonParser.parseString(Files.readString(trace)).getAsJsonObject()
        .getAsJsonArray("samples");
    JsonObject first = samples.get(0).getAsJsonObject();
    assertEquals(13, first.getAsJsonArray("steps").size(), "K + 1 states");
    JsonObject lastStep = first.getAsJsonArray("steps").get(12).getAsJsonObject();
    assertFalse(lastStep.getAsJsonArray("tokens").toString().contains("[MASK]"));
    assertEquals(5, lastStep.getAsJsonArray("top5").get(0).getAsJsonArray().size());

    CliTest.Run again = CliTest.run("generate", "--checkpoint", ckpt.toString(), "--steps", "12",
        "--num-samples", "2", "--json", "--seed", "4");
    assertEquals(gen.json().get("samples"), again.json().get("samples"), "same seed, same text");

    CliTest.Run atEnd = CliTest.run("train", "--resume", ckpt.toString());
    assertEquals(2, atEnd.code(), "a finished run needs --steps beyond its last step");
    assertTrue(atEnd.err().contains("at its last step (100 of 100)"), atEnd.err());
    CliTest.Run below = CliTest.run("train", "--resume", ckpt.toString(), "--steps", "50");
    assertEquals(2, below.code());
    assertTrue(below.err().contains("--steps 50 is not beyond the checkpoint's step 100"),
        below.err());
    Path other = dir.resolve("other.json");
    Files.writeString(other, Files.readString(tinyConfig()).replace("\"batch_size\": 16",
        "\"batch_size\": 8"));
    CliTest.Run disagree = CliTest.run("train", "--resume", ckpt.toString(), "--config",
        other.toString(), "--steps", "120");
    assertEquals(2, disagree.code());
    assertTrue(disagree.err().contains("at key 'train.batch_size'"), disagree.err());

    CliTest.Run resumed = CliTest.run("train", "--resume", ckpt.toString(), "--steps", "120");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("finished at step 120"), resumed.out());
    assertTrue(losses(resumed.out()).getFirst() < l.getFirst() - 1.0, "resume started over");
  }

  @Test
  void badConfigsAndCheckpointsExitTwoNamingTheProblem() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"train\": {\"stpes\": 3}}");
    CliTest.Run r = CliTest.run("train", "--config", bad.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("'train.stpes': unknown key"), r.err());
    CliTest.Run g = CliTest.run("generate", "--checkpoint", dir.resolve("nothing").toString());
    assertEquals(2, g.code());
    assertTrue(g.err().contains("is not a directory"), g.err());
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    for (String f : List.of("config.json", "tokenizer.json", "model.params", "manifest.json")) {
      Files.writeString(broken.resolve(f), "{}");
    }
    CliTest.Run b = CliTest.run("generate", "--checkpoint", broken.toString());
    assertEquals(2, b.code(), b.out() + b.err());
    assertEquals(1, b.err().strip().lines().count(), b.err());
  }
}
