package dev.diffulab.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.diffulab.core.checkpoint.Manifest;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.CorpusReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random bytes and structure-aware random JSON into every reader of user files — corpus files,
 * run configs, checkpoint manifests: each input is either read or refused with our own clear
 * error ({@link InputException}, one line naming the file or key); never another exception.
 * Fixed seeds, thousands of cases.
 */
class FuzzTest {
  private static final String[] ODD = {"", " ", "-1", "0", "1e309", "-1e309", "NaN", "Infinity",
      "9223372036854775808", "3.5", "\u0000", "true", "null", "[]", "{}", "\"\"",
      "é\uD83D\uDE00", "x".repeat(5000)};

  /** A random JSON value: primitives of every kind, odd numbers and strings, nested containers. */
  private static JsonElement randomValue(Random r, int depth) {
    return switch (r.nextInt(depth > 2 ? 6 : 8)) {
      case 0 -> JsonNull.INSTANCE;
      case 1 -> new JsonPrimitive(r.nextBoolean());
      case 2 -> new JsonPrimitive(r.nextInt(2_000_001) - 1_000_000);
      case 3 -> new JsonPrimitive(r.nextGaussian() * Math.pow(10, r.nextInt(12) - 4));
      case 4 -> new JsonPrimitive(ODD[r.nextInt(ODD.length)]);
      case 5 -> new JsonPrimitive(Long.MAX_VALUE - r.nextInt(3));
      case 6 -> {
        JsonArray a = new JsonArray();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(randomValue(r, depth + 1));
        }
        yield a;
      }
      default -> {
        JsonObject o = new JsonObject();
        for (int i = r.nextInt(4); i > 0; i--) {
          o.add("k" + r.nextInt(5), randomValue(r, depth + 1));
        }
        yield o;
      }
    };
  }

  /** A valid document with a few of its leaves replaced, removed or added at random. */
  private static String mutate(JsonObject valid, Random r) {
    JsonObject o = valid.deepCopy();
    for (int n = 1 + r.nextInt(3); n > 0; n--) {
      List<Map.Entry<JsonObject, String>> leaves = new ArrayList<>();
      collect(o, leaves);
      var leaf = leaves.get(r.nextInt(leaves.size()));
      switch (r.nextInt(4)) {
        case 0 -> leaf.getKey().remove(leaf.getValue());
        case 1 -> leaf.getKey().add(leaf.getValue() + (r.nextBoolean() ? "x" : ""),
            randomValue(r, 1));
        default -> leaf.getKey().add(leaf.getValue(), randomValue(r, 1));
      }
    }
    String text = o.toString();
    // now and then break the text itself: cut it, or add trailing garbage
    return switch (r.nextInt(10)) {
      case 0 -> text.substring(0, r.nextInt(text.length()));
      case 1 -> text + ODD[r.nextInt(ODD.length)];
      default -> text;
    };
  }

  private static void collect(JsonObject o, List<Map.Entry<JsonObject, String>> out) {
    for (var e : o.entrySet()) {
      out.add(Map.entry(o, e.getKey()));
      if (e.getValue().isJsonObject()) {
        collect(e.getValue().getAsJsonObject(), out);
      }
    }
  }

  /** Runs {@code read}; anything but success or an InputException fails, naming the input. */
  private static int check(String what, String input, ThrowingRunnable read) {
    try {
      read.run();
      return 0;
    } catch (InputException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank() && !e.getMessage()
          .contains("\n"), what + ": an unclear message for input " + abbreviate(input));
      return 1;
    } catch (Throwable t) {
      fail(what + " threw " + t + " for input " + abbreviate(input), t);
      return -1;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void runConfigsAreReadOrRefusedClearly() throws Exception {
    JsonObject valid = JsonParser.parseString(Files.readString(
        Path.of("sample-configs/quick-test.json"))).getAsJsonObject();
    Random r = new Random(11);
    int refused = 0;
    for (int i = 0; i < 1500; i++) {
      String text = mutate(valid, r);
      refused += check("RunConfig.parse", text, () -> RunConfig.parse(text, "fuzz.json"));
    }
    assertTrue(refused > 300, "most mutations are refused: " + refused);
  }

  @Test
  void manifestsAreReadOrRefusedClearly(@TempDir Path dir) throws Exception {
    Path shipped = Path.of("assets/models/demo/manifest.json");
    JsonObject valid = JsonParser.parseString(Files.readString(shipped)).getAsJsonObject();
    Random r = new Random(12);
    for (int i = 0; i < 800; i++) {
      String text = mutate(valid, r);
      check("Manifest.parse", text, () -> Manifest.parse(text, "fuzz manifest"));
    }
  }

  @Test
  void corpusFilesOfRandomBytesAreReadOrRefusedClearly(@TempDir Path dir) throws Exception {
    Random r = new Random(13);
    String[] names = {"c.txt", "c.jsonl", "c.ndjson", "c"};
    for (int i = 0; i < 600; i++) {
      byte[] bytes = new byte[r.nextInt(400)];
      if (r.nextBoolean()) {
        r.nextBytes(bytes);
      } else {
        // text-like: JSON lines, separators and a few invalid bytes
        String text = r.nextBoolean()
            ? "{\"text\": \"a story\"}\n{\"text\": " + randomValue(r, 1) + "}\n" + ODD[r.nextInt(
                ODD.length)]
            : "Once.\n<|endoftext|>\n" + ODD[r.nextInt(ODD.length)] + "\n\n";
        bytes = text.getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(4) == 0 && bytes.length > 0) {
          bytes[r.nextInt(bytes.length)] = (byte) (0x80 + r.nextInt(64));
        }
      }
      Path f = dir.resolve(names[r.nextInt(names.length)]);
      Files.write(f, bytes);
      check("CorpusReader.read", new String(bytes, StandardCharsets.ISO_8859_1),
          () -> CorpusReader.read(f));
    }
  }
}
