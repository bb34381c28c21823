package dev.diffulab.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusReaderTest {
  @TempDir
  Path dir;

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void readsTinyStoriesSeparatedByEndOfText() throws Exception {
    Path p = write("stories.txt", "One story.\nTwo lines.\n<|endoftext|>\nAnother story.\n"
        + "<|endoftext|>\n");
    assertEquals(List.of("One story.\nTwo lines.", "Another story."), CorpusReader.read(p));
  }

  @Test
  void readsJsonLinesTextField() throws Exception {
    Path p = write("c.jsonl", "{\"text\": \"first\"}\n\n{\"text\": \"second\", \"id\": 2}\n");
    assertEquals(List.of("first", "second"), CorpusReader.read(p));
  }

  @Test
  void readsPlainTextBlocks() throws Exception {
    Path p = write("plain.txt", "a b\nc\n\n  \nd e\n");
    assertEquals(List.of("a b\nc", "d e"), CorpusReader.read(p));
  }

  @Test
  void jsonLineWithoutTextNamesTheLine() throws Exception {
    Path p = write("bad.jsonl", "{\"text\": \"ok\"}\n{\"body\": \"no\"}\n");
    InputException e = assertThrows(InputException.class, () -> CorpusReader.read(p));
    assertEquals("corpus file " + p + " line 2 has no string field \"text\"", e.getMessage());
  }

  @Test
  void missingEmptyAndInvalidUtf8FilesAreNamed() throws Exception {
    Path missing = dir.resolve("missing.txt");
    assertEquals("corpus file " + missing + " does not exist",
        assertThrows(InputException.class, () -> CorpusReader.read(missing)).getMessage());
    Path empty = write("empty.txt", "  \n");
    assertEquals("corpus file " + empty + " is empty",
        assertThrows(InputException.class, () -> CorpusReader.read(empty)).getMessage());
    Path bad = dir.resolve("latin1.txt");
    Files.write(bad, new byte[]{'c', 'a', 'f', (byte) 0xE9, ' ', 'x'});
    String msg = assertThrows(InputException.class, () -> CorpusReader.read(bad)).getMessage();
    assertTrue(msg.contains("latin1.txt is not valid UTF-8") && msg.contains("offset 3"), msg);
  }

  @Test
  void utf16NulBytesPipesAndFoldersAreRefusedNamingTheFile() throws Exception {
    String text = "Once upon a time.\n\nAnother story.\n";
    Path le = dir.resolve("le.txt");
    Files.write(le, text.getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    assertEquals("corpus file " + le + " is UTF-16 (little-endian), not UTF-8; save it as UTF-8",
        assertThrows(InputException.class, () -> CorpusReader.read(le)).getMessage());
    Path be = dir.resolve("be.txt");
    Files.write(be, text.getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
    assertTrue(assertThrows(InputException.class, () -> CorpusReader.read(be)).getMessage()
        .contains("UTF-16 (big-endian)"));
    Path bom = dir.resolve("bom.txt");
    Files.write(bom, text.getBytes(java.nio.charset.StandardCharsets.UTF_16)); // BE with a mark
    assertTrue(assertThrows(InputException.class, () -> CorpusReader.read(bom)).getMessage()
        .contains("byte-order mark"));
    Path nul = dir.resolve("nul.txt");
    Files.write(nul,
        "Hello\0world.\n\nSecond.\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("corpus file " + nul + " holds a NUL byte at offset 5; text has none (a binary"
        + " file?)", assertThrows(InputException.class, () -> CorpusReader.read(nul)).getMessage());
    assertEquals("corpus file " + dir + " is a folder, not a file",
        assertThrows(InputException.class, () -> CorpusReader.read(dir)).getMessage());
    // UTF-8 text with a few non-ASCII letters is not mistaken for UTF-16
    assertEquals(List.of("Café au lait.", "Zoë"), CorpusReader.read(write("fr.txt",
        "Café au lait.\n\nZoë\n")));
  }

  @Test
  @org.junit.jupiter.api.condition.DisabledOnOs(org.junit.jupiter.api.condition.OS.WINDOWS)
  void aPipeIsRefusedRatherThanReadForever() throws Exception {
    Path fifo = dir.resolve("fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
    InputException e = assertThrows(InputException.class, () -> CorpusReader.read(fifo));
    assertEquals("corpus file " + fifo + " is not a regular file (a pipe or a device?); give a"
        + " file on disk", e.getMessage());
  }

  @Test
  void splitIsDeterministicBySeedAndDisjoint() {
    List<int[]> docs = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      docs.add(new int[]{i});
    }
    Sequences.Split a = Sequences.split(docs, 0.1, 5);
    Sequences.Split b = Sequences.split(docs, 0.1, 5);
    assertEquals(10, a.validation().size());
    assertEquals(90, a.train().size());
    assertEquals(a.validation().stream().map(x -> x[0]).toList(),
        b.validation().stream().map(x -> x[0]).toList());
    assertTrue(a.train().stream().noneMatch(a.validation()::contains));
  }

  @Test
  void padTruncatesAndPads() {
    List<int[]> padded = Sequences.pad(List.of(new int[]{5, 6, 7, 8, 9}, new int[]{5}), 4, 0);
    assertEquals(List.of(5, 6, 7, 8), java.util.Arrays.stream(padded.get(0)).boxed().toList());
    assertEquals(List.of(5, 0, 0, 0), java.util.Arrays.stream(padded.get(1)).boxed().toList());
  }
}
