package dev.diffulab.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.Map;

/** Prints a result as one JSON object or as aligned "key: value" lines. */
final class Output {
  private Output() {
  }

  static void print(PrintWriter out, boolean json, Map<String, ?> values) {
    if (json) {
      out.println(new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
          .create().toJson(values));
    } else {
      int w = values.keySet().stream().mapToInt(String::length).max().orElse(0);
      values.forEach((k, v) -> out.printf("%-" + w + "s  %s%n", k, v));
    }
    out.flush();
  }
}
