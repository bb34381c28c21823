package dev.diffulab.core.pairs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.diffulab.core.InputException;
import dev.diffulab.core.data.CorpusReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a prompt → response corpus, read as people keep them: JSON Lines with {@code
 * prompt}/{@code response}, {@code src}/{@code trg} or GSM8K's {@code question}/{@code answer}
 * (its rationale and the final answer after {@code ####} kept as the response), or a TSV file of
 * prompt TAB response (a first line {@code prompt TAB response} is a header). Blank lines are
 * skipped; anything else that is not a pair is refused with one message naming the file and line.
 */
public final class PairCorpus {
  /** The key pairs a JSON line may use, in the order they are tried. */
  private static final String[][] KEYS = {{"prompt", "response"}, {"src", "trg"},
      {"question", "answer"}};

  private PairCorpus() {
  }

  public static List<Pair> read(Path file) {
    String text = CorpusReader.readUtf8(file, "pair corpus");
    String name = file.getFileName() == null
        ? ""
        : file.getFileName().toString()
            .toLowerCase(Locale.ROOT);
    return name.endsWith(".tsv") ? tsv(text, file.toString()) : jsonLines(text, file.toString());
  }

  /** Pairs from JSON Lines text; {@code source} names it in errors. */
  public static List<Pair> jsonLines(String text, String source) {
    List<Pair> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      JsonObject o;
      try {
        JsonElement e = JsonParser.parseString(line);
        if (!e.isJsonObject()) {
          throw new IllegalStateException("not an object");
        }
        o = e.getAsJsonObject();
      } catch (RuntimeException e) {
        throw new InputException(source + ", line " + (i + 1) + ": not a JSON object (each line"
            + " of a pair corpus is one {\"prompt\": …, \"response\": …})");
      }
      out.add(pair(o, source, i + 1));
    }
    if (out.isEmpty()) {
      throw new InputException(source + " holds no pairs");
    }
    return out;
  }

  private static Pair pair(JsonObject o, String source, int line) {
    for (String[] k : KEYS) {
      if (o.has(k[0]) || o.has(k[1])) {
        String prompt = string(o, k[0], source, line);
        String response = string(o, k[1], source, line);
        return new Pair(prompt, response);
      }
    }
    throw new InputException(source + ", line " + line + ": no prompt/response, src/trg or"
        + " question/answer keys (it has " + String.join(", ", o.keySet()) + ")");
  }

  private static String string(JsonObject o, String key, String source, int line) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || e.getAsString().isBlank()) {
      throw new InputException(source + ", line " + line + ": \"" + key + "\" is missing or"
          + " empty");
    }
    return e.getAsString().strip();
  }

  /** Pairs from TSV text: prompt TAB response a line. */
  public static List<Pair> tsv(String text, String source) {
    List<Pair> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split("\t", -1);
      if (cells.length != 2 || cells[0].isBlank() || cells[1].isBlank()) {
        throw new InputException(source + ", line " + (i + 1) + ": expected prompt TAB response,"
            + " found " + cells.length + " field" + (cells.length == 1 ? "" : "s"));
      }
      if (out.isEmpty() && i == firstLine(lines) && cells[0].strip().equalsIgnoreCase("prompt")
          && cells[1].strip().equalsIgnoreCase("response")) {
        continue; // the header
      }
      out.add(new Pair(cells[0].strip(), cells[1].strip()));
    }
    if (out.isEmpty()) {
      throw new InputException(source + " holds no pairs");
    }
    return out;
  }

  private static int firstLine(String[] lines) {
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        return i;
      }
    }
    return -1;
  }
}
