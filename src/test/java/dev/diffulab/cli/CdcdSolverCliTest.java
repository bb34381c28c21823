package dev.diffulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CDCD solver is a sampler setting on the command line as in the window: {@code --solver
 * heun} samples with Heun's method (the trace says so), an unknown solver is refused naming the
 * option; a model trained with random given positions samples with committed positions.
 */
class CdcdSolverCliTest {
  @TempDir
  Path dir;

  @Test
  void generateTakesTheSolverAndRefusesAnUnknownOne() throws Exception {
    Path config = dir.resolve("c.json");
    Files.writeString(config, """
        {"name": "solver", "method": "cdcd", "device": "cpu", "seed": 1,
         "data": {"tinytales_stories": 200},
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 96},
         "cdcd": {"given_fraction": 0.5},
         "train": {"steps": 2, "batch_size": 8, "eval_every": 0, "sample_every": 0,
                   "log_every": 1}}
        """);
    Path ckpt = dir.resolve("ckpt");
    CliTest.Run train = CliTest.run("train", "--config", config.toString(), "--out",
        ckpt.toString());
    assertEquals(0, train.code(), train.err());
    Path trace = dir.resolve("trace.json");
    CliTest.Run heun = CliTest.run("generate", "--checkpoint", ckpt.toString(),
        "--num-samples", "1", "--steps", "3", "--solver", "heun", "--trace", trace.toString());
    assertEquals(0, heun.code(), heun.err());
    String written = Files.readString(trace);
    assertTrue(written.contains("3 heun steps"), written.substring(0,
        Math.min(400, written.length())));
    CliTest.Run commit = CliTest.run("generate", "--checkpoint", ckpt.toString(),
        "--num-samples", "1", "--steps", "4", "--remasking", "low-confidence", "--trace",
        trace.toString(), "--overwrite");
    assertEquals(0, commit.code(), commit.err());
    written = Files.readString(trace);
    assertTrue(written.contains("low-confidence commits"), written.substring(0,
        Math.min(400, written.length())));
    assertTrue(Files.readString(ckpt.resolve("config.json")).contains("\"given_fraction\": 0.5"));
    CliTest.Run bad = CliTest.run("generate", "--checkpoint", ckpt.toString(), "--solver",
        "rk4");
    assertEquals(2, bad.code(), bad.out() + bad.err());
    assertTrue(bad.err().contains("--solver"), bad.err());
  }
}
