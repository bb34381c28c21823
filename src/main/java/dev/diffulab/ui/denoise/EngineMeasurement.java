package dev.diffulab.ui.denoise;

import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One measurement the windows beside Denoise run on the engine (a sweep, accuracy by steps, a
 * comparison of checkpoints): busy while it runs, its progress (−1 while it waits for the
 * engine) and a status line, cancel, and on the UI thread either its result or the words
 * "cancelled" or "failed" with the error shown.
 */
final class EngineMeasurement {
  private final AppSession session;
  private final String title;
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
  private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
  private CompletableFuture<?> job;

  /** @param title what an error dialog calls the work ("Sweeping the sampler") */
  EngineMeasurement(AppSession session, String title) {
    this.session = session;
    this.title = title;
  }

  /**
   * Starts the work {@code submit} hands the engine unless one runs; it reports (done, all) to
   * the progress it is given, which {@code counting} words for the status line ("measured 2 of
   * 5 settings"). {@code done} takes the result on the UI thread and sets the final status.
   *
   * @return whether it started
   */
  <T> boolean start(Function<BiConsumer<Integer, Integer>, CompletableFuture<T>> submit,
      BiConsumer<Integer, Integer> counting, Consumer<T> done) {
    if (busy.get()) {
      return false;
    }
    busy.set(true);
    progress.set(-1);
    status.set("waiting for the engine…");
    CompletableFuture<T> future = submit.apply((n, all) -> session.ui().execute(() -> {
      progress.set((double) n / all);
      counting.accept(n, all);
    }));
    job = future;
    future.whenComplete((result, error) -> session.ui().execute(() -> {
      busy.set(false);
      progress.set(0);
      if (error != null) {
        boolean cancelled = AppSession.cancelled(error);
        status.set(cancelled ? "cancelled" : "failed");
        if (!cancelled) {
          Errors.show(title, error);
        }
        return;
      }
      done.accept(result);
    }));
    return true;
  }

  /** Sets the status line (from the counting and done callbacks). */
  void status(String text) {
    status.set(text);
  }

  void cancel() {
    if (job != null) {
      session.service().cancel(job);
    }
  }

  boolean busy() {
    return busy.get();
  }

  ReadOnlyBooleanProperty busyProperty() {
    return busy.getReadOnlyProperty();
  }

  ReadOnlyStringProperty statusProperty() {
    return status.getReadOnlyProperty();
  }

  /** 0…1 while it runs, −1 while it waits for the engine or the first result. */
  ReadOnlyDoubleProperty progressProperty() {
    return progress.getReadOnlyProperty();
  }
}
