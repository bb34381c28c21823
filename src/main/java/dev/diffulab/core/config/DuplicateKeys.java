package dev.diffulab.core.config;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds a key given twice in one JSON object. A JSON reader keeps the last silently, so a config
 * that says {@code "steps": 100} and later {@code "steps": 10} would train 10 steps without a
 * word; DiffuLab names the key instead.
 */
public final class DuplicateKeys {
  private DuplicateKeys() {
  }

  /** The dotted path of the first key given twice in its object, or null (or broken JSON). */
  public static String first(String json) {
    try (JsonReader r = new JsonReader(new StringReader(json))) {
      r.setStrictness(com.google.gson.Strictness.LENIENT);
      return value(r, "");
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      return null; // the parser proper reports broken JSON
    }
  }

  private static String value(JsonReader r, String path) throws IOException {
    JsonToken t = r.peek();
    if (t == JsonToken.BEGIN_OBJECT) {
      r.beginObject();
      Set<String> seen = new HashSet<>();
      while (r.hasNext()) {
        String name = r.nextName();
        String here = path.isEmpty() ? name : path + "." + name;
        if (!seen.add(name)) {
          return here;
        }
        String inner = value(r, here);
        if (inner != null) {
          return inner;
        }
      }
      r.endObject();
    } else if (t == JsonToken.BEGIN_ARRAY) {
      r.beginArray();
      int i = 0;
      while (r.hasNext()) {
        String inner = value(r, path + "[" + i++ + "]");
        if (inner != null) {
          return inner;
        }
      }
      r.endArray();
    } else {
      r.skipValue();
    }
    return null;
  }
}
