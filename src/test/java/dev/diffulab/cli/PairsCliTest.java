package dev.diffulab.cli;

import static dev.diffulab.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multiplication task written by the CLI reads back as pairs, every answer right. */
class PairsCliTest {
  @Test
  void theTaskIsWrittenAndReadBack(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("mult.jsonl");
    CliTest.Run w = run("corpus", "multiplication", "--digits", "3x2", "--count", "500",
        "--out", out.toString());
    assertEquals(0, w.code(), w.err());
    assertEquals(500, Files.readAllLines(out).size());
    CliTest.Run r = run("corpus", "pairs", out.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals(500, o.get("pairs").getAsInt());
    assertEquals(500, o.get("train").getAsInt() + o.get("held_out").getAsInt());
    assertEquals(1.0, o.get("multiplication_exact").getAsDouble(), 0.0);
    assertEquals(2, run("corpus", "multiplication", "--digits", "four", "--count", "5",
        "--out", dir.resolve("x.jsonl").toString()).code());
    CliTest.Run again = run("corpus", "multiplication", "--count", "5", "--out",
        out.toString());
    assertEquals(2, again.code(), "an existing file is kept without --overwrite");
    Files.writeString(dir.resolve("bad.jsonl"), "{\"prompt\": \"a\"}\n");
    CliTest.Run bad = run("corpus", "pairs", dir.resolve("bad.jsonl").toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("bad.jsonl, line 1"), bad.err());
  }
}
