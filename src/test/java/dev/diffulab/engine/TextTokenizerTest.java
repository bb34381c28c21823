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
  void aMissingTokenizerIsRejectedAndOneWithoutMaskGetsOne() throws Exception {
    InputException missing = assertThrows(InputException.class,
        () -> TextTokenizer.load(dir.resolve("nope.json")));
    assertTrue(missing.getMessage().contains("nope.json does not exist"));
    Path file = dir.resolve("nomask.json");
    Files.writeString(file, WordPieceTokenizerJson.build(List.of("a"), false)
        .replace("[MASK]", "[MOSK]"));
    try (TextTokenizer t = TextTokenizer.load(file)) {
      assertEquals(t.vocabSize() - 1, t.maskId(), "a missing mask token is added at the end");
      assertEquals("[MASK]", t.token(t.maskId()));
      assertTrue(t.isSpecial(t.maskId()));
    }
  }

  /** A byte-level BPE tokenizer as GPT-2's is made: no pad, no mask, no unknown token. */
  static String gpt2Like() {
    com.google.gson.JsonObject vocab = new com.google.gson.JsonObject();
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
      vocab.addProperty(String.valueOf(Character.toChars(printable ? b : 256 + n++)), b);
    }
    vocab.addProperty("<|endoftext|>", 256);
    String byteLevel = "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,"
        + "\"trim_offsets\":true,\"use_regex\":true}";
    return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
        + "\"added_tokens\":[{\"id\":256,\"content\":\"<|endoftext|>\",\"single_word\":false,"
        + "\"lstrip\":false,\"rstrip\":false,\"normalized\":true,\"special\":true}],"
        + "\"normalizer\":null,\"pre_tokenizer\":" + byteLevel + ",\"post_processor\":"
        + byteLevel + ",\"decoder\":" + byteLevel + ",\"model\":{\"type\":\"BPE\","
        + "\"dropout\":null,\"unk_token\":null,\"continuing_subword_prefix\":\"\","
        + "\"end_of_word_suffix\":\"\",\"fuse_unk\":false,\"byte_fallback\":false,"
        + "\"vocab\":" + vocab + ",\"merges\":[]}}";
  }

  @Test
  void aTokenizerWithoutPadOrMaskGetsThemAddedAsHuggingFaceDoes() throws Exception {
    Path file = dir.resolve("gpt2.json");
    Files.writeString(file, gpt2Like());
    try (TextTokenizer t = TextTokenizer.load(file)) {
      assertEquals(259, t.vocabSize(), "256 bytes, <|endoftext|>, then [PAD] and [MASK]");
      assertEquals(257, t.padId());
      assertEquals(258, t.maskId());
      assertTrue(t.isSpecial(257) && t.isSpecial(258) && t.isSpecial(256));
      assertEquals(-1, t.unkId(), "byte-level: nothing is unknown");
      String text = "Once upon a time, Zoë found a key.";
      int[] ids = t.encode(text);
      assertTrue(java.util.Arrays.stream(ids).allMatch(id -> id < 256), "plain text is bytes");
      assertEquals(text, t.decode(ids));
      int[] withSpecials = java.util.Arrays.copyOf(ids, ids.length + 2);
      withSpecials[ids.length] = t.maskId();
      withSpecials[ids.length + 1] = t.padId();
      assertEquals(text, t.decode(withSpecials), "pad and mask are left out of text");
      // the checkpoint's copy holds the added tokens and loads to the same ids, once
      try (TextTokenizer again = TextTokenizer.fromJson(t.json(), "copy")) {
        assertEquals(259, again.vocabSize());
        assertEquals(t.maskId(), again.maskId());
        assertEquals(java.util.Arrays.toString(ids), java.util.Arrays.toString(again.encode(text)));
      }
    }
  }
}
