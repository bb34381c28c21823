package dev.diffulab.ui.common;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/**
 * Runs something on the JavaFX thread after a delay without an animation: a PauseTransition or an
 * AnimationTimer keeps the toolkit pulsing 60 times a second while it waits, and every pulse walks
 * the whole scene graph — on a 2-core machine that is CPU taken from training. A daemon timer
 * thread sleeps instead and hands the task over with {@link Platform#runLater}.
 */
public final class FxLater {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "diffulab-ui-timer");
        t.setDaemon(true);
        return t;
      });

  private FxLater() {
  }

  /** Runs {@code task} on the JavaFX thread in {@code nanos} (at once when ≤ 0). */
  public static void run(long nanos, Runnable task) {
    if (nanos <= 0) {
      Platform.runLater(task);
    } else {
      TIMER.schedule(() -> Platform.runLater(task), nanos, TimeUnit.NANOSECONDS);
    }
  }
}
