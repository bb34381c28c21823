package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.InputException;
import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.engine.method.LoadedModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken tokenizer files and broken checkpoint folders — truncated or scrambled parameters,
 * tokenizers, configs — are refused with one clear line ({@link InputException}), never another
 * exception and never a crash of the native libraries. Fixed seeds.
 */
class FuzzLoadersTest {

  private static void expectClear(String what, Runnable read) {
    try {
      read.run();
    } catch (InputException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().contains("\n"),
          what + ": " + e.getMessage());
    } catch (Throwable t) {
      fail(what + " threw " + t, t);
    }
  }

  private static String scramble(String text, Random r) {
    StringBuilder b = new StringBuilder(text);
    switch (r.nextInt(4)) {
      case 0 -> b.setLength(r.nextInt(b.length()));
      case 1 -> {
        for (int i = 0; i < 1 + r.nextInt(8); i++) {
          b.setCharAt(r.nextInt(b.length()), "{}[]\",:0a\\ ".charAt(r.nextInt(11)));
        }
      }
      case 2 -> {
        int at = r.nextInt(b.length());
        b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(200)));
      }
      default -> b.insert(r.nextInt(b.length()), "\"x\": [1, {\"y\": null}],");
    }
    return b.toString();
  }

  @Test
  void brokenTokenizerFilesAreRefusedClearly() throws Exception {
    String json;
    try (TextTokenizer t = TextTokenizer.tinyTales()) {
      json = t.json();
    }
    Random r = new Random(21);
    for (int i = 0; i < 300; i++) {
      String broken = scramble(json, r);
      expectClear("tokenizer case " + i, () -> {
        try (TextTokenizer t = TextTokenizer.fromJson(broken, "fuzz tokenizer")) {
          t.encode("Once upon a time, there was a cat.");
        }
      });
    }
  }

  @Test
  void brokenCheckpointFoldersAreRefusedClearly(@TempDir Path dir) throws Exception {
    Path demo = DemoModels.folder("demo");
    String[] files = {"config.json", "tokenizer.json", "manifest.json", "model.params"};
    Random r = new Random(22);
    try (NDManager root = NDManager.newBaseManager()) {
      for (int i = 0; i < 60; i++) {
        Path c = dir.resolve("c" + i);
        Files.createDirectories(c);
        for (String f : files) {
          Files.copy(demo.resolve(f), c.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        String victim = files[r.nextInt(files.length)];
        Path f = c.resolve(victim);
        if (victim.equals("model.params")) {
          byte[] bytes = Files.readAllBytes(f);
          if (r.nextBoolean()) {
            Files.write(f, java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length)));
          } else {
            for (int k = 0; k < 64; k++) {
              bytes[r.nextInt(Math.min(bytes.length, 4096))] = (byte) r.nextInt(256);
            }
            Files.write(f, bytes);
          }
        } else if (r.nextInt(5) == 0) {
          Files.delete(f);
        } else {
          Files.writeString(f, scramble(Files.readString(f), r));
        }
        expectClear("checkpoint case " + i + " (" + victim + ")", () -> {
          try (LoadedModel lm = LoadedModel.open(c, root)) {
            lm.tokenizer().encode("Once upon a time");
          }
        });
      }
    }
  }
}
