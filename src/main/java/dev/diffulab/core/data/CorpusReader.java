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
    if (Files.isDirectory(file)) {
      throw new InputException(what + " " + file + " is a folder, not a file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // a pipe or a device would be read until it ends, which may be never
      throw new InputException(what + " " + file + " is not a regular file (a pipe or a"
          + " device?); give a file on disk");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new InputException(what + " " + file + " cannot be read: " + e.getMessage());
    }
    String utf16 = utf16(bytes);
    if (utf16 != null) {
      throw new InputException(what + " " + file + " is " + utf16 + ", not UTF-8; save it as"
          + " UTF-8");
    }
    int nul = indexOf(bytes, (byte) 0);
    if (nul >= 0) {
      throw new InputException(what + " " + file + " holds a NUL byte at offset " + nul
          + "; text has none (a binary file?)");
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

  /**
   * "UTF-16 (little-endian)" and the like when the bytes are UTF-16: a byte-order mark, or NUL
   * bytes in every other place of the first bytes as UTF-16 writes ASCII text; else null.
   */
  static String utf16(byte[] bytes) {
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
      return "UTF-16 (little-endian, with a byte-order mark)";
    }
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
      return "UTF-16 (big-endian, with a byte-order mark)";
    }
    int pairs = Math.min(bytes.length / 2, 256);
    if (pairs < 2) {
      return null;
    }
    int evenNul = 0;
    int oddNul = 0;
    for (int i = 0; i < pairs; i++) {
      evenNul += bytes[2 * i] == 0 ? 1 : 0;
      oddNul += bytes[2 * i + 1] == 0 ? 1 : 0;
    }
    if (oddNul >= pairs * 0.9 && evenNul == 0) {
      return "UTF-16 (little-endian)";
    }
    if (evenNul >= pairs * 0.9 && oddNul == 0) {
      return "UTF-16 (big-endian)";
    }
    return null;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
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
