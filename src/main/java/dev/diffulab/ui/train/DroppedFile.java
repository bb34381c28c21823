package dev.diffulab.ui.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a file dropped on the window is, so it goes where the person meant. */
enum DroppedFile {
  CONFIG, TOKENIZER, CORPUS;

  /**
   * A {@code .json} file is a tokenizer when it has a Hugging Face tokenizer's keys, otherwise a
   * run config (whose reader names what is wrong with it); any other file is a corpus.
   */
  static DroppedFile kind(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (!name.endsWith(".json")) {
      return CORPUS;
    }
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonElement e = JsonParser.parseReader(r);
      if (e.isJsonObject()) {
        JsonObject o = e.getAsJsonObject();
        if (o.has("added_tokens") || o.has("pre_tokenizer") || o.has("normalizer")) {
          return TOKENIZER;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not readable JSON: the config reader says so, naming the file
    }
    return CONFIG;
  }
}
