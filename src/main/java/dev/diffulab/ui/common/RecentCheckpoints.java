package dev.diffulab.ui.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoints a person opened lately, newest first, for the Models menu:
 * {@code ~/.diffulab/recent-checkpoints.txt} (one path a line), or the file named by the system
 * property {@code diffulab.recentFile} — an empty value keeps nothing (the tests run that way).
 * Folders that no longer hold a checkpoint are left out when the list is read.
 */
public final class RecentCheckpoints {
  /** How many are kept. */
  public static final int MAX = 8;

  private RecentCheckpoints() {
  }

  static Optional<Path> file() {
    String p = System.getProperty("diffulab.recentFile");
    if (p == null) {
      return Optional.of(Path.of(System.getProperty("user.home"), ".diffulab",
          "recent-checkpoints.txt"));
    }
    return p.isBlank() ? Optional.empty() : Optional.of(Path.of(p));
  }

  /** The recent checkpoints that still exist, newest first. */
  public static List<Path> list() {
    Optional<Path> f = file().filter(Files::isRegularFile);
    if (f.isEmpty()) {
      return List.of();
    }
    try {
      List<Path> out = new ArrayList<>();
      for (String line : Files.readAllLines(f.get())) {
        if (!line.isBlank()) {
          Path p = Path.of(line.strip());
          if (Files.isRegularFile(p.resolve("manifest.json")) && !out.contains(p)) {
            out.add(p);
          }
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of(); // a damaged list is only a convenience lost
    }
  }

  /** Puts {@code dir} first (once), keeping at most {@link #MAX}. Failing to save is silent. */
  public static void remember(Path dir) {
    Optional<Path> f = file();
    if (f.isEmpty()) {
      return;
    }
    List<Path> next = new ArrayList<>();
    next.add(dir.toAbsolutePath().normalize());
    for (Path p : list()) {
      if (!next.contains(p) && next.size() < MAX) {
        next.add(p);
      }
    }
    try {
      Files.createDirectories(f.get().toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(f.get().toAbsolutePath().getParent(), ".recent", ".tmp");
      Files.write(tmp, next.stream().map(Path::toString).toList());
      Files.move(tmp, f.get(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // the list is a convenience; the model is open either way
    }
  }

  /** Forgets every recent checkpoint (the folders themselves are untouched). */
  public static void clear() {
    file().ifPresent(f -> {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // the list is a convenience
      }
    });
  }
}
