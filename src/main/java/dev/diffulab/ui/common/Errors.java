package dev.diffulab.ui.common;

import dev.diffulab.core.InputException;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place the app tells a person something went wrong: a plain sentence for bad input, the
 * message and a log entry for anything else. The shell installs where the sentence is shown.
 */
public final class Errors {
  private static final Logger LOG = Logger.getLogger(Errors.class.getName());
  private static volatile Consumer<String> display = msg -> LOG.warning(msg);

  private Errors() {
  }

  public static void setDisplay(Consumer<String> d) {
    display = d;
  }

  /** A sentence for {@code t}: its own message for bad input, otherwise what failed. */
  public static String sentence(String what, Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof InputException) {
      return c.getMessage();
    }
    return what + " failed: " + (c.getMessage() == null
        ? c.getClass().getSimpleName()
        : c.getMessage());
  }

  public static void show(String what, Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (!(c instanceof InputException)) {
      LOG.log(Level.WARNING, what + " failed", c);
    }
    show(sentence(what, t));
  }

  /** Shows {@code message} on the JavaFX thread, whichever thread reports it. */
  public static void show(String message) {
    Consumer<String> d = display;
    if (javafx.application.Platform.isFxApplicationThread()) {
      d.accept(message);
    } else {
      try {
        javafx.application.Platform.runLater(() -> d.accept(message));
      } catch (IllegalStateException e) {
        d.accept(message); // no JavaFX toolkit (the command line, a plain test)
      }
    }
  }
}
