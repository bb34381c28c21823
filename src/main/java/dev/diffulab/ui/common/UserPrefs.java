package dev.diffulab.ui.common;

import dev.diffulab.ui.theme.Appearance;
import dev.diffulab.ui.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What DiffuLab remembers between sessions in the user's preferences ({@code java.util.prefs},
 * node {@code dev/diffulab}): theme, font size and the files opened lately. The system property
 * {@code diffulab.prefsNode} names another node (the tests use their own), and an empty value
 * keeps nothing. Preferences are a convenience: failing to read or write them changes nothing else.
 */
public final class UserPrefs {
  /** Lists of files opened lately, newest first. */
  public enum Recent {
    CORPUS("recent.corpora"), TOKENIZER("recent.tokenizers"), CONFIG("recent.configs"), CHECKPOINT(
        "recent.checkpoints");

    private final String key;

    Recent(String key) {
      this.key = key;
    }
  }

  /** How many files each list keeps. */
  public static final int MAX_RECENT = 8;
  private static final String THEME = "appearance.theme";
  private static final String FONT = "appearance.fontSize";

  private UserPrefs() {
  }

  /** The preference node, or empty when {@code diffulab.prefsNode} is set to nothing. */
  public static Optional<Preferences> node() {
    String name = System.getProperty("diffulab.prefsNode", "dev/diffulab");
    return name.isBlank() ? Optional.empty() : Optional.of(Preferences.userRoot().node(name));
  }

  /** Sets the theme and font size that were chosen last time. */
  public static void restoreAppearance() {
    node().ifPresent(p -> {
      Appearance.setTheme(Theme.named(p.get(THEME, Theme.LIGHT.name())));
      Appearance.setFontSize(p.getInt(FONT, Appearance.DEFAULT_FONT));
    });
  }

  /** Keeps the current theme and font size. */
  public static void saveAppearance() {
    node().ifPresent(p -> {
      p.put(THEME, Appearance.theme().name());
      p.putInt(FONT, Appearance.fontSize());
      flush(p);
    });
  }

  /** The files of {@code kind} opened lately that still exist, newest first. */
  public static List<Path> recent(Recent kind) {
    List<Path> out = new ArrayList<>();
    node().ifPresent(p -> {
      for (String line : p.get(kind.key, "").split("\n")) {
        try {
          Path f = Path.of(line.strip());
          if (!line.isBlank() && Files.exists(f) && !out.contains(f)) {
            out.add(f);
          }
        } catch (RuntimeException e) {
          // a damaged entry is skipped
        }
      }
    });
    return out;
  }

  /** Puts {@code file} first in its list (once), keeping at most {@link #MAX_RECENT}. */
  public static void remember(Recent kind, Path file) {
    if (file == null) {
      return;
    }
    node().ifPresent(p -> {
      List<String> next = new ArrayList<>();
      next.add(file.toAbsolutePath().normalize().toString());
      for (String line : p.get(kind.key, "").split("\n")) {
        if (!line.isBlank() && !next.contains(line.strip()) && next.size() < MAX_RECENT) {
          next.add(line.strip());
        }
      }
      String value = String.join("\n", next);
      while (value.length() > Preferences.MAX_VALUE_LENGTH && next.size() > 1) {
        next.removeLast();
        value = String.join("\n", next);
      }
      if (value.length() <= Preferences.MAX_VALUE_LENGTH) {
        p.put(kind.key, value);
        flush(p);
      }
    });
  }

  /** Whether a list of {@code kind} was ever kept (an emptied one counts). */
  static boolean kept(Recent kind) {
    return node().map(p -> p.get(kind.key, null) != null).orElse(true);
  }

  /** Forgets the list of {@code kind}. */
  public static void clear(Recent kind) {
    node().ifPresent(p -> {
      p.put(kind.key, "");
      flush(p);
    });
  }

  private static void flush(Preferences p) {
    try {
      p.flush();
    } catch (BackingStoreException e) {
      // kept for this session only
    }
  }
}
