package dev.diffulab.ui.common;

import dev.diffulab.ui.common.UserPrefs.Recent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checkpoints a person opened lately, newest first, for the Models menu and File → Open
 * Recent: kept with the other recent files in the preferences ({@link UserPrefs}). Folders that no
 * longer hold a checkpoint are left out when the list is read. Versions before 0.1.0 kept them in
 * {@code ~/.diffulab/recent-checkpoints.txt}; that list is taken over once, the first time.
 */
public final class RecentCheckpoints {
  private RecentCheckpoints() {
  }

  /** The recent checkpoints that still exist, newest first. */
  public static List<Path> list() {
    takeOverOldList();
    return UserPrefs.recent(Recent.CHECKPOINT).stream()
        .filter(p -> Files.isRegularFile(p.resolve("manifest.json"))).toList();
  }

  /** Puts {@code dir} first (once), keeping at most {@link UserPrefs#MAX_RECENT}. */
  public static void remember(Path dir) {
    takeOverOldList();
    UserPrefs.remember(Recent.CHECKPOINT, dir);
  }

  /** Forgets every recent checkpoint (the folders themselves are untouched). */
  public static void clear() {
    UserPrefs.clear(Recent.CHECKPOINT);
  }

  /**
   * The file where earlier versions kept the list, or the one the system property
   * {@code diffulab.recentFile} names (an empty value: none; the tests run that way).
   */
  static java.util.Optional<Path> oldFile() {
    String p = System.getProperty("diffulab.recentFile");
    if (p == null) {
      return java.util.Optional.of(Path.of(System.getProperty("user.home"), ".diffulab",
          "recent-checkpoints.txt"));
    }
    return p.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(p));
  }

  private static void takeOverOldList() {
    java.util.Optional<Path> old = oldFile().filter(Files::isRegularFile);
    if (old.isEmpty() || UserPrefs.kept(Recent.CHECKPOINT)) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(old.get());
      for (String line : lines.reversed()) { // remembered oldest first, so the newest ends first
        if (!line.isBlank()) {
          UserPrefs.remember(Recent.CHECKPOINT, Path.of(line.strip()));
        }
      }
      if (!UserPrefs.kept(Recent.CHECKPOINT)) {
        UserPrefs.clear(Recent.CHECKPOINT); // an empty old list: taken over all the same
      }
    } catch (IOException | RuntimeException e) {
      // a damaged old list is only a convenience lost
    }
  }
}
