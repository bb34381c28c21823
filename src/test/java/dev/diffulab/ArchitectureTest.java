package dev.diffulab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the layers of design.md: core is pure Java; only engine touches DJL. */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/diffulab");
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)",
      Pattern.MULTILINE);

  private static List<String> violations(Path dir, List<String> forbidden) throws IOException {
    List<String> bad = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String src = Files.readString(f);
        Matcher m = IMPORT.matcher(src);
        while (m.find()) {
          for (String prefix : forbidden) {
            if (m.group(2).startsWith(prefix)) {
              bad.add(name(f) + " imports " + m.group(2));
            }
          }
        }
        for (String prefix : forbidden) {
          // a class named by its full name in code; text in string literals (a logger or
          // property name) is no dependency
          Pattern qualified = Pattern.compile(Pattern.quote(prefix) + "[a-z0-9_.]*[A-Z]");
          String code = src.replaceAll("(?m)^import .*$", "").replaceAll("\"(\\\\.|[^\"\\\\])*\"",
              "\"\"");
          if (qualified.matcher(code).find()) {
            bad.add(name(f) + " uses " + prefix + " by its full name");
          }
        }
      }
    }
    return bad;
  }

  private static String name(Path f) {
    return f.startsWith(MAIN) ? MAIN.relativize(f).toString() : f.getFileName().toString();
  }

  @Test
  void coreImportsNeitherJavaFxNorDjl() throws IOException {
    assertEquals(List.of(), violations(MAIN.resolve("core"), List.of("javafx.", "ai.djl.")));
  }

  @Test
  void onlyTheEngineImportsDjl() throws IOException {
    List<String> bad = new ArrayList<>();
    for (String layer : List.of("core", "ui", "cli")) {
      bad.addAll(violations(MAIN.resolve(layer), List.of("ai.djl.")));
    }
    bad.addAll(violations(MAIN.resolve("Main.java"), List.of("ai.djl.")));
    assertEquals(List.of(), bad);
  }

  @Test
  void theRuleCatchesAViolation(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("Bad.java");
    Files.writeString(f, "package x;\nimport ai.djl.ndarray.NDArray;\nclass Bad {\n"
        + "  Object o = ai.djl.engine.Engine.getInstance();\n"
        + "  String ok = \"ai.djl.util.cuda.CudaUtils\";\n}\n");
    List<String> found = violations(tmp, List.of("ai.djl."));
    assertEquals(List.of("Bad.java imports ai.djl.ndarray.NDArray",
        "Bad.java uses ai.djl. by its full name"), found);
  }
}
