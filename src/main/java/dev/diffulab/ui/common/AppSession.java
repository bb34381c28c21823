package dev.diffulab.ui.common;

import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.engine.DiffusionEngine;
import dev.diffulab.engine.Workbench;
import dev.diffulab.engine.runtime.EngineTask;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The app's side of the engine: the one engine thread, the dispatcher its snapshots go through,
 * and the commands every workspace shares. Results come back on the UI executor; failures go to
 * {@link Errors}.
 */
public final class AppSession implements AutoCloseable {
  private final FrameDispatcher dispatcher;
  private final DiffusionEngine engine;
  private final Workbench workbench = new Workbench();
  private final Executor ui;

  public AppSession(DeviceChoice device, FrameDispatcher dispatcher, Executor ui) {
    this.dispatcher = dispatcher;
    this.ui = ui;
    this.engine = new DiffusionEngine(device, dispatcher::publish);
  }

  private final javafx.beans.property.BooleanProperty followTraining = new javafx.beans.property.SimpleBooleanProperty(
      this, "followTraining", true);

  {
    followTraining.addListener((o, was, now) -> workbench.followTraining(now));
  }

  /**
   * Whether Masking and Denoise use the model a run is training while one runs (on by default),
   * rather than the opened checkpoint. Both workspaces' toggles are bound to it.
   */
  public javafx.beans.property.BooleanProperty followTrainingProperty() {
    return followTraining;
  }

  public AppSession start() {
    engine.start();
    return this;
  }

  public FrameDispatcher dispatcher() {
    return dispatcher;
  }

  public DiffusionEngine engine() {
    return engine;
  }

  /** Runs {@code task} on the engine; {@code onResult} gets its value on the UI thread. */
  public <T> CompletableFuture<T> run(String what, EngineTask<T> task, Consumer<T> onResult) {
    CompletableFuture<T> f = engine.submit(what, task);
    f.whenComplete((value, error) -> ui.execute(() -> {
      if (error != null) {
        if (!(error instanceof java.util.concurrent.CancellationException)) {
          Errors.show(what, error);
        }
      } else if (onResult != null) {
        onResult.accept(value);
      }
    }));
    return f;
  }

  private final Map<String, AtomicReference<LatestJob<?>>> latest = new ConcurrentHashMap<>();

  /**
   * Runs {@code task} on the engine unless a newer request with the same {@code key} arrives
   * before the engine gets to it: only the newest pending request of a key runs (a dragged slider
   * never queues stale work), and its result comes back on the UI thread. The returned future
   * completes after {@code onResult}; it is cancelled if a newer request took the place of this
   * one, and fails (after the error is shown) if the task fails.
   */
  public <T> CompletableFuture<T> runLatest(String key, String what, EngineTask<T> task,
      Consumer<T> onResult) {
    AtomicReference<LatestJob<?>> slot = latest.computeIfAbsent(key,
        k -> new AtomicReference<>());
    LatestJob<T> job = new LatestJob<>(what, task, onResult, new CompletableFuture<>());
    LatestJob<?> superseded = slot.getAndSet(job);
    if (superseded != null) {
      superseded.result().cancel(false);
    } else {
      engine.submitInteractive(what, ctx -> {
        LatestJob<?> next = slot.getAndSet(null);
        return next == null ? null : next.runOn(ctx);
      }).whenComplete((deliver, error) -> ui.execute(() -> {
        if (error != null) {
          Errors.show(what, error);
        } else if (deliver != null) {
          deliver.run();
        }
      }));
    }
    return job.result();
  }

  /** A pending request; running it yields the delivery of its result or of its failure. */
  private record LatestJob<T>(String what, EngineTask<T> task, Consumer<T> onResult,
      CompletableFuture<T> result) {
    Runnable runOn(dev.diffulab.engine.runtime.EngineContext ctx) {
      try {
        T value = task.run(ctx);
        return () -> {
          onResult.accept(value);
          result.complete(value);
        };
      } catch (Exception e) {
        return () -> {
          Errors.show(what, e);
          result.completeExceptionally(e);
        };
      }
    }
  }

  /**
   * Opens a checkpoint as the model of the Masking and Denoise workspaces, and remembers it among
   * the recent checkpoints of the Models menu.
   */
  public CompletableFuture<dev.diffulab.core.snapshot.ModelSnapshot> openCheckpoint(Path dir) {
    return open("Opening checkpoint", () -> dir);
  }

  /** Opens a shipped demo model ({@link dev.diffulab.core.checkpoint.DemoModels}). */
  public CompletableFuture<dev.diffulab.core.snapshot.ModelSnapshot> openDemo(String name) {
    return open("Opening the " + name + " model",
        () -> dev.diffulab.core.checkpoint.DemoModels.folder(name));
  }

  private CompletableFuture<dev.diffulab.core.snapshot.ModelSnapshot> open(String what,
      java.util.function.Supplier<Path> dir) {
    return run(what, ctx -> {
      Path d = dir.get();
      var s = workbench.useCheckpoint(d, ctx.manager());
      ctx.publish(s);
      if (!d.toAbsolutePath().startsWith(
          dev.diffulab.core.checkpoint.DemoModels.cacheDir().toAbsolutePath())) {
        RecentCheckpoints.remember(d);
      }
      return s;
    }, null);
  }

  /** Opens a second checkpoint to compare against in the Denoise workspace; returns its summary. */
  public CompletableFuture<String> openCompareCheckpoint(Path dir) {
    return openCompare(() -> dir);
  }

  /** Opens a shipped demo model as the Denoise comparison's model B. */
  public CompletableFuture<String> openCompareDemo(String name) {
    return openCompare(() -> dev.diffulab.core.checkpoint.DemoModels.folder(name));
  }

  private CompletableFuture<String> openCompare(java.util.function.Supplier<Path> dir) {
    return run("Opening comparison checkpoint", ctx -> {
      String summary = workbench.useCompareCheckpoint(dir.get(), ctx.manager());
      ui.execute(() -> compareSummary.set(summary));
      return summary;
    }, null);
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
    return runLatest("data", "Reading corpus", ctx -> {
      CorpusSnapshot s = workbench.useData(data, seed);
      ctx.publish(s);
      return s;
    }, s -> {
    });
  }

  public Executor ui() {
    return ui;
  }

  public Workbench workbench() {
    return workbench;
  }

  @Override
  public void close() {
    // stop a running task, let the workbench close its model and tokenizer on the engine thread
    // (closing the engine first would cancel that queued cleanup), then end the thread
    engine.cancelCurrent();
    try {
      engine.submit("Closing", ctx -> {
        workbench.close();
        return null;
      }).get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway: the engine closes its root manager and with it every array
    }
    engine.close(5000);
  }
}
