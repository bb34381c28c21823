package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run is its config and seed, whatever process trains it: two JVMs — one with a small young
 * generation and the serial collector, so garbage is collected all through the run — write
 * byte-identical parameters and optimiser state, for both text families.
 */
class ReproducibleAcrossProcessesTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"masked", "cdcd"})
  void twoProcessesTrainTheSameBytes(String method) throws Exception {
    Path config = dir.resolve(method + ".json");
    Files.writeString(config, """
        {"name": "repro", "method": "%s", "device": "cpu", "seed": 11,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 400, "validation_fraction": 0.1},
         "train": {"steps": 40, "batch_size": 8, "learning_rate": 0.003, "warmup_steps": 5,
                   "eval_every": 20, "sample_every": 0, "checkpoint_every": 0},
         "cdcd": {"refit_every": 5, "warp_window": 256}}
        """.formatted(method));
    Path a = train(config, dir.resolve(method + "-a"), List.of());
    Path b = train(config, dir.resolve(method + "-b"),
        List.of("-XX:+UseSerialGC", "-Xmn4m", "-Xmx256m"));
    for (String file : List.of("model.params", "optimizer.ndlist")) {
      assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)),
          method + ": " + file + " differs between the two processes");
    }
    assertEquals(finalLoss(a), finalLoss(b));
  }

  private static String finalLoss(Path checkpoint) throws IOException {
    String m = Files.readString(checkpoint.resolve("manifest.json"), StandardCharsets.UTF_8);
    return m.replaceAll("(?s).*\"final_loss\":\\s*([-0-9.eE]+).*", "$1");
  }

  private static Path train(Path config, Path out, List<String> jvm) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
        "-XX:MaxDirectMemorySize=256m"));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.diffulab.Main",
        "train", "--config", config.toString(), "--out", out.toString()));
    Path log = out.resolveSibling(out.getFileName() + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("training did not end: " + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), Files.readString(log));
    return out;
  }
}
