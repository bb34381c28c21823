package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.InputException;
import dev.diffulab.core.text.WordPieceTokenizerJson;
import dev.diffulab.core.tinytales.TinyTalesGenerator;
import dev.diffulab.core.tinytales.TinyTalesTokenizer;
import dev.diffulab.engine.text.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {
  @TempDir
  Path dir;

  @Test
  void shippedTokenizerRoundTripsEveryTinyTalesStoryWithoutUnknowns() {
    try (TextTokenizer t = TextTokenizer.tinyTales()) {
      for (String story : new TinyTalesGenerator(11).stories(200)) {
        int[] ids = t.encode(story);
        for (int id : ids) {
          assertTrue(id != t.unkId() && !t.isSpecial(id), story);
        }
        assertEquals(story, t.decode(ids));
      }
      assertEquals("[MASK]", t.token(t.maskId()));
      assertEquals(0, t.padId());
    }
  }

  @Test
  void shippedTokenizerIsWhatTheCodeRegenerates() throws Exception {
    String shipped = Files.readString(Path.of("assets/tokenizer.json"), StandardCharsets.UTF_8);
    assertEquals(TinyTalesTokenizer.json(), shipped,
        "assets/tokenizer.json is stale: run `diffulab corpus tokenizer --out assets/tokenizer.json`");
  }

  @Test
  void bertStyleWordPieceTokenizerSplitsWordsIntoPiecesAndRejoinsThem() throws Exception {
    String json = WordPieceTokenizerJson.build(
        List.of("the", "cat", "play", "##ed", "##ing", "sat", ".", "un", "##happy", "happy"), true);
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, json);
    try (TextTokenizer t = TextTokenizer.load(file)) {
      assertEquals(List.of("the", "cat", "play", "##ed", "un", "##happy", "."),
          t.tokens("The cat played unhappy."));
      int[] ids = t.encode("The cat played unhappy.");
      assertEquals("the cat played unhappy.", t.decode(ids));
      assertArrayEquals(new int[]{t.unkId()}, t.encode("zebra"));
    }
  }

  @Test
  void truncatedTokenizerIsRejectedNamingTheFile() throws Exception {
    Path file = dir.resolve("broken.json");
    String json = TinyTalesTokenizer.json();
    Files.writeString(file, json.substring(0, json.length() / 2));
    InputException e = assertThrows(InputException.class, () -> TextTokenizer.load(file));
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void missingTokenizerAndOneWithoutMaskAreRejected() throws Exception {
    InputException missing = assertThrows(InputException.class,
        () -> TextTokenizer.load(dir.resolve("nope.json")));
    assertTrue(missing.getMessage().contains("nope.json does not exist"));
    Path file = dir.resolve("nomask.json");
    Files.writeString(file, WordPieceTokenizerJson.build(List.of("a"), false)
        .replace("[MASK]", "[MOSK]"));
    InputException e = assertThrows(InputException.class, () -> TextTokenizer.load(file));
    assertTrue(e.getMessage().contains("no mask token"), e.getMessage());
  }
}
