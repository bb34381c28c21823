package dev.diffulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.diffulab.core.config.ConfigReference;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.gaussian.GaussianConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reference pages are generated from the code and the prose pages may only name what exists:
 * an option a command has, a config key a reader accepts, a file in the repository.
 */
class ReferenceDocsTest {
  private static final Path DOCS = Path.of("docs");
  private static final Pattern OTHER_TOOLS = Pattern.compile(
      "pip install|mvnw|xvfb-run|apt-get|dotnet");
  private static final boolean WRITE = Boolean.getBoolean("diffulab.writeDocs");

  @Test
  void theCommandLineReferenceIsWhatTheCommandsSay() throws IOException {
    same(DOCS.resolve("cli.md"), ReferenceDocs.cli());
  }

  @Test
  void theConfigurationReferenceIsWhatTheReadersAccept() throws IOException {
    same(DOCS.resolve("configuration.md"), ReferenceDocs.configuration());
  }

  @Test
  void everyKeyAReaderWritesIsDescribedAndEveryDescriptionNamesAKey() {
    Set<String> text = new TreeSet<>(ReferenceDocs.flatten(JsonParser.parseString(
        RunConfig.parse("{}", "defaults").toJson()).getAsJsonObject()).keySet());
    assertEquals(text, new TreeSet<>(ConfigReference.TEXT.keySet()));
    Set<String> images = new TreeSet<>(ReferenceDocs.flatten(JsonParser.parseString(
        GaussianConfig.loadOrShipped(Path.of("quick-test-images")).toJson())
        .getAsJsonObject()).keySet());
    images.add("data.path"); // optional: the shipped config finds the Debian package's folder
    images.add("sampler.guidance_interval"); // optional: absent, guidance at every step
    assertEquals(images, new TreeSet<>(ConfigReference.IMAGES.keySet()));
  }

  @Test
  void theReadmeAndDocsNameOnlyOptionsKeysAndFilesThatExist() throws IOException {
    Set<String> options = new TreeSet<>(ReferenceDocs.optionNames());
    Set<String> sections = Set.of("model", "data", "train", "masking", "sampler", "cdcd",
        "diffusion");
    List<String> wrong = new ArrayList<>();
    for (Path page : pages()) {
      String text = Files.readString(page, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (OTHER_TOOLS.matcher(line).find()) {
          continue; // another program's options (pip, Maven, xvfb-run)
        }
        Matcher option = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*").matcher(line);
        while (option.find()) {
          if (!options.contains(option.group())) {
            wrong.add(page + ": option " + option.group());
          }
        }
      }
      Matcher key = Pattern.compile("`([a-z]+)\\.([a-z_0-9]+)`").matcher(text);
      while (key.find()) {
        String k = key.group(1) + "." + key.group(2);
        if (sections.contains(key.group(1)) && !ConfigReference.TEXT.containsKey(k)
            && !ConfigReference.IMAGES.containsKey(k)) {
          wrong.add(page + ": config key " + k);
        }
      }
      Matcher file = Pattern.compile("(?<![\\w/.-])((?:sample-configs|assets|docs)/[\\w./-]*"
          + "[\\w])").matcher(text);
      while (file.find()) {
        if (!Files.exists(Path.of(file.group(1)))) {
          wrong.add(page + ": file " + file.group(1));
        }
      }
      Matcher link = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)").matcher(text);
      while (link.find()) {
        if (!Files.exists(page.resolveSibling(link.group(1)))) {
          wrong.add(page + ": link " + link.group(1));
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
    for (String f : List.of("CONTRIBUTING.md", "CHANGELOG.md")) {
      if (Files.exists(Path.of(f))) {
        pages.add(Path.of(f));
      }
    }
    try (Stream<Path> s = Files.list(DOCS)) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  private static void same(Path page, String generated) throws IOException {
    if (WRITE) {
      Files.createDirectories(page.getParent());
      Files.writeString(page, generated, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(page), page + " is missing: run this test with"
        + " -Ddiffulab.writeDocs=true");
    assertEquals(generated, Files.readString(page, StandardCharsets.UTF_8), page
        + " has drifted from the code: run this test with -Ddiffulab.writeDocs=true");
  }
}
