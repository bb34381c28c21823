package dev.diffulab.core.tinytales;

import dev.diffulab.core.data.CorpusFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The embedded corpus: generated TinyTales stories in the TinyStories text format. */
public final class TinyTalesCorpus {
  private TinyTalesCorpus() {
  }

  public static List<String> stories(int count, long seed) {
    return new TinyTalesGenerator(seed).stories(count);
  }

  /** Writes {@code count} stories, each followed by a line {@code <|endoftext|>}. */
  public static void write(Path file, int count, long seed) throws IOException {
    TinyTalesGenerator g = new TinyTalesGenerator(seed);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        w.write(g.story(i));
        w.write('\n');
        w.write(CorpusFormat.END_OF_TEXT);
        w.write('\n');
      }
    }
  }
}
