package dev.diffulab.ui.common;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one place the app tells a person that something they started has ended well or badly
 * without their looking: a run finished or failed (with the reason), an export saved (with a way
 * to open its folder). The shell shows them as desktop-style notifications; the last few are kept
 * so the status bar and tests can read them.
 */
public final class Notices {
  /** One notice: a short title, a sentence, and the folder it concerns (or null). */
  public record Notice(String title, String text, Path folder, boolean failure) {
  }

  private static final int KEPT = 20;
  private static final List<Notice> recent = new ArrayList<>();
  private static volatile Consumer<Notice> display = n -> {
  };

  private Notices() {
  }

  public static void setDisplay(Consumer<Notice> d) {
    display = d;
  }

  /** A run or task ended well; {@code folder} (may be null) is what "Open folder" opens. */
  public static void done(String title, String text, Path folder) {
    post(new Notice(title, text, folder, false));
  }

  /** A run or task failed; {@code reason} says why in a sentence. */
  public static void failed(String title, String reason) {
    post(new Notice(title, reason, null, true));
  }

  /** A file was written: the notice names it and offers its folder. */
  public static void saved(Path file) {
    Path abs = file.toAbsolutePath();
    done("Saved", abs.getFileName().toString(), abs.getParent());
  }

  /** The notices of this session, oldest first (at most the last 20). */
  public static synchronized List<Notice> recent() {
    return List.copyOf(recent);
  }

  private static void post(Notice n) {
    synchronized (Notices.class) {
      recent.add(n);
      if (recent.size() > KEPT) {
        recent.removeFirst();
      }
    }
    Consumer<Notice> d = display;
    if (javafx.application.Platform.isFxApplicationThread()) {
      d.accept(n);
    } else {
      try {
        javafx.application.Platform.runLater(() -> d.accept(n));
      } catch (IllegalStateException e) {
        d.accept(n); // no JavaFX toolkit
      }
    }
  }
}
