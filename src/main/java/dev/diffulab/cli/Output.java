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
      values.forEach((k, v) -> out.printf("%-" + w + "s  %s%n", k, text(v)));
    }
    out.flush();
  }

  /** A value as a person reads it: numbers to four significant digits, arrays and maps inline. */
  static String text(Object v) {
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() || d == Math.rint(d) && Math.abs(d) < 1e15
          ? (d.isNaN() || d.isInfinite() ? d.toString() : Long.toString(d.longValue()))
          : String.format(java.util.Locale.ROOT, "%.4g", d);
    }
    if (v instanceof Float f) {
      return text(f.doubleValue());
    }
    if (v instanceof double[] a) {
      return java.util.Arrays.stream(a).mapToObj(Output::text)
          .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder();
      m.forEach((k, x) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ')
          .append(text(x)));
      return b.toString();
    }
    return String.valueOf(v);
  }

  /**
   * Checks, before any work, that {@code file} can be written: its folder exists or can be made,
   * and a file can be created there. Fails with one line naming the option.
   */
  static void checkWritable(java.nio.file.Path file, String option) {
    checkWritable(file, option, true);
  }

  /**
   * As above; an existing file is refused unless {@code overwrite} — nothing a person wrote is
   * replaced without being asked.
   */
  static void checkWritable(java.nio.file.Path file, String option, boolean overwrite) {
    java.nio.file.Path abs = file.toAbsolutePath();
    if (!overwrite && java.nio.file.Files.isRegularFile(abs)) {
      throw new dev.diffulab.core.InputException(option + " " + file + " exists; add"
          + " --overwrite to replace it");
    }
    if (java.nio.file.Files.isDirectory(abs)) {
      throw new dev.diffulab.core.InputException(option + " " + file + " is a folder; name a"
          + " file");
    }
    try {
      java.nio.file.Files.createDirectories(abs.getParent());
      java.nio.file.Path probe = java.nio.file.Files.createTempFile(abs.getParent(),
          ".diffulab-probe", "");
      java.nio.file.Files.delete(probe);
    } catch (java.io.IOException | RuntimeException e) {
      throw new dev.diffulab.core.InputException(option + " " + file + ": cannot write in "
          + abs.getParent() + " (" + e.getMessage() + ")");
    }
  }
}
