package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.diffulab.cli.DiffuLabCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Trains a tiny model through the real command line, for UI tests that need a checkpoint. */
final class TinyModels {
  private TinyModels() {
  }

  /** Writes {@code configJson} into {@code dir}, trains it and returns the checkpoint. */
  static Path train(Path dir, String configJson) throws Exception {
    Path config = dir.resolve("tiny.json");
    Files.writeString(config, configJson);
    Path checkpoint = dir.resolve("ckpt");
    StringWriter err = new StringWriter();
    assertEquals(0, DiffuLabCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "train", "--config", config.toString(), "--out", checkpoint.toString()), err.toString());
    return checkpoint;
  }
}
