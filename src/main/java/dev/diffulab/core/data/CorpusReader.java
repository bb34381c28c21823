package dev.diffulab.core.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.diffulab.core.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the documents of a corpus file — TinyStories text, JSON Lines or plain text — as UTF-8.
 * Every problem is an {@link InputException} naming the file (and line where there is one).
 */
public final class CorpusReader {
  private CorpusReader() {
  }

  public static List<String> read(Path file) {
    String text = readUtf8(file, "corpus file");
    if (text.isBlank()) {
      throw new InputException("corpus file " + file + " is empty");
    }
    CorpusFormat format = CorpusFormat.detect(file, text);
    List<String> docs = switch (format) {
      case TINYSTORIES -> splitOn(text, CorpusFormat.END_OF_TEXT);
      case JSONL -> jsonLines(file, text);
      case PLAIN -> blocks(text);
    };
    if (docs.isEmpty()) {
      throw new InputException("corpus file " + file + " holds no documents");
    }
    return docs;
  }

  /** The whole file as text; invalid UTF-8 is an error that says where the bad byte is. */
  public static String readUtf8(Path file, String what) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new InputException(what + " " + file + " cannot be read: " + e.getMessage());
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      String s = decoder.decode(in).toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      throw new InputException(
          what + " " + file + " is not valid UTF-8 (bad byte near offset " + firstBadByte(bytes)
              + ")");
    }
  }

  private static int firstBadByte(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
    java.nio.charset.CoderResult r = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
    return r.isError() ? in.position() : bytes.length;
  }

  private static List<String> splitOn(String text, String marker) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(java.util.regex.Pattern.quote(marker))) {
      String doc = part.strip();
      if (!doc.isEmpty()) {
        out.add(doc);
      }
    }
    return out;
  }

  private static List<String> blocks(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split("\\R\\s*\\R")) {
      String doc = part.strip();
      if (!doc.isEmpty()) {
        out.add(doc);
      }
    }
    return out;
  }

  private static List<String> jsonLines(Path file, String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = "corpus file " + file + " line " + (i + 1);
      JsonElement e;
      try {
        e = JsonParser.parseString(line);
      } catch (JsonParseException ex) {
        throw new InputException(where + " is not valid JSON");
      }
      if (!e.isJsonObject()) {
        throw new InputException(where + " is not a JSON object");
      }
      JsonElement t = e.getAsJsonObject().get("text");
      if (t == null || !t.isJsonPrimitive() || !t.getAsJsonPrimitive().isString()) {
        throw new InputException(where + " has no string field \"text\"");
      }
      String doc = t.getAsString().strip();
      if (!doc.isEmpty()) {
        out.add(doc);
      }
    }
    return out;
  }
}
