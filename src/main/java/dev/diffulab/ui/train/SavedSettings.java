package dev.diffulab.ui.train;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Train settings as they were when the app last closed, so a person's edits are not lost:
 * {@code ~/.diffulab/train-settings.json}, or the file named by the system property
 * {@code diffulab.settingsFile} — an empty value keeps nothing (the tests run that way, so they
 * never read or write a person's settings).
 */
final class SavedSettings {
  private SavedSettings() {
  }

  /** Where the settings are kept, or empty when they are not. */
  static Optional<Path> file() {
    String p = System.getProperty("diffulab.settingsFile");
    if (p == null) {
      return Optional.of(Path.of(System.getProperty("user.home"), ".diffulab",
          "train-settings.json"));
    }
    return p.isBlank() ? Optional.empty() : Optional.of(Path.of(p));
  }

  /**
   * The settings saved last time, if there are any; a file that cannot be read is an
   * {@link InputException} naming it.
   */
  static Optional<RunConfig> load() {
    return file().filter(Files::isRegularFile).map(RunConfig::load);
  }

  /** Keeps the settings if they are valid; invalid ones leave the last valid settings in place. */
  static void save(ConfigViewModel settings) throws IOException {
    if (settings.validProperty().get() && file().isPresent()) {
      settings.write(file().get());
    }
  }
}
