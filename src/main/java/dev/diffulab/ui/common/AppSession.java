package dev.diffulab.ui.common;

import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.engine.LabService;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The app's side of the engine: the one engine thread, the dispatcher its snapshots go through,
 * and the commands every workspace shares. Results come back on the UI executor; failures go to
 * {@link Errors}.
 */
public final class AppSession implements AutoCloseable {
  private final FrameDispatcher dispatcher;
  private final LabService service;
  private final Executor ui;

  public AppSession(DeviceChoice device, FrameDispatcher dispatcher, Executor ui) {
    this.dispatcher = dispatcher;
    this.ui = ui;
    this.service = new LabService(device, dispatcher::publish);
    followTraining.addListener((o, was, now) -> service.followTraining(now));
  }

  private final javafx.beans.property.BooleanProperty followTraining = new javafx.beans.property.SimpleBooleanProperty(
      this, "followTraining", true);

  /**
   * Whether Masking and Denoise use the model a run is training while one runs (on by default),
   * rather than the opened checkpoint. Both workspaces' toggles are bound to it.
   */
  public javafx.beans.property.BooleanProperty followTrainingProperty() {
    return followTraining;
  }

  public AppSession start() {
    service.start();
    // the last resort for a run's checkpoint: ask the person, on the FX thread
    service.setSaveAsker(problem -> {
      CompletableFuture<Path> answer = new CompletableFuture<>();
      java.util.function.Function<String, Path> chooser = saveChooser;
      if (chooser == null) {
        answer.complete(null);
        return answer;
      }
      ui.execute(() -> {
        try {
          answer.complete(chooser.apply(problem));
        } catch (RuntimeException e) {
          answer.complete(null);
        }
      });
      return answer;
    });
    return this;
  }

  private volatile java.util.function.Function<String, Path> saveChooser;

  /**
   * How the window asks where a run's checkpoint can go when neither its folder nor any fallback
   * could take it (a save dialog); called on the FX thread, answers a folder or null.
   */
  public void setSaveChooser(java.util.function.Function<String, Path> chooser) {
    this.saveChooser = chooser;
  }

  public FrameDispatcher dispatcher() {
    return dispatcher;
  }

  /** The engine's requests; their answers come back on the engine thread — see {@link #deliver}. */
  public LabService service() {
    return service;
  }

  /**
   * Hands a request's answer to {@code onResult} on the UI thread, or shows its failure ({@code
   * what} failed: …); a cancelled or superseded request shows nothing. Returns {@code job}.
   */
  public <T> CompletableFuture<T> deliver(String what, CompletableFuture<T> job,
      Consumer<T> onResult) {
    job.whenComplete((value, error) -> ui.execute(() -> {
      if (error != null) {
        if (!cancelled(error)) {
          Errors.show(what, error);
        }
      } else if (onResult != null) {
        onResult.accept(value);
      }
    }));
    return job;
  }

  /** Whether a request ended because it was cancelled or superseded. */
  public static boolean cancelled(Throwable error) {
    return error instanceof java.util.concurrent.CancellationException
        || error.getCause() instanceof java.util.concurrent.CancellationException;
  }

  /**
   * Opens a checkpoint as the model of the Masking and Denoise workspaces, and remembers it among
   * the recent checkpoints of the Models menu.
   */
  public CompletableFuture<dev.diffulab.core.snapshot.ModelSnapshot> openCheckpoint(Path dir) {
    CompletableFuture<dev.diffulab.core.snapshot.ModelSnapshot> job = service
        .openCheckpoint("Opening checkpoint", dir);
    opening = job;
    if (!dir.toAbsolutePath().startsWith(
        dev.diffulab.core.checkpoint.DemoModels.cacheDir().toAbsolutePath())) {
      job.thenRun(() -> RecentCheckpoints.remember(dir));
    }
    return deliver("Opening checkpoint", job, null);
  }

  /** Opens a shipped demo model ({@link dev.diffulab.core.checkpoint.DemoModels}). */
  public CompletableFuture<dev.diffulab.core.snapshot.ModelSnapshot> openDemo(String name) {
    String what = "Opening the " + name + " model";
    CompletableFuture<dev.diffulab.core.snapshot.ModelSnapshot> job = service.openCheckpoint(
        what, LabService.demoFolder(name));
    opening = job;
    return deliver(what, job, null);
  }

  private volatile CompletableFuture<?> opening = CompletableFuture.completedFuture(null);

  /** Whether a model asked for (a checkpoint or a demo) is still being opened. */
  public boolean modelOpening() {
    return !opening.isDone();
  }

  /** Opens a second checkpoint to compare against in the Denoise workspace; returns its summary. */
  public CompletableFuture<String> openCompareCheckpoint(Path dir) {
    return openCompare(dir);
  }

  /** Opens a shipped demo model as the Denoise comparison's model B. */
  public CompletableFuture<String> openCompareDemo(String name) {
    return openCompare(LabService.demoFolder(name));
  }

  private CompletableFuture<String> openCompare(Path dir) {
    return deliver("Opening comparison checkpoint", service.openCompare(dir), summary -> {
      compareSummary.set(summary);
      compareSource = dir;
    });
  }

  private Path compareSource;

  /** The folder of the comparison model (model B), or null when none was opened. */
  public Path compareSource() {
    return compareSource;
  }

  private final javafx.beans.property.ReadOnlyStringWrapper compareSummary = new javafx.beans.property.ReadOnlyStringWrapper(
      this, "compareSummary", "");

  /** The comparison model's one-line label, empty until one is opened. */
  public javafx.beans.property.ReadOnlyStringProperty compareSummaryProperty() {
    return compareSummary.getReadOnlyProperty();
  }

  /**
   * Reads the corpus and tokenizer of a config's data section and publishes their statistics;
   * of several requests made before the engine gets to them, only the newest is read.
   */
  public CompletableFuture<CorpusSnapshot> showData(dev.diffulab.core.config.DataConfig data,
      long seed) {
    return deliver("Reading corpus", service.useData(data, seed), s -> {
    });
  }

  public Executor ui() {
    return ui;
  }

  @Override
  public void close() {
    service.close();
  }
}
