package dev.diffulab.ui.common;

import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.engine.DiffusionEngine;
import dev.diffulab.engine.EngineTask;
import dev.diffulab.engine.Workbench;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
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
  private final DiffusionEngine engine;
  private final Workbench workbench = new Workbench();
  private final Executor ui;

  public AppSession(DeviceChoice device, FrameDispatcher dispatcher, Executor ui) {
    this.dispatcher = dispatcher;
    this.ui = ui;
    this.engine = new DiffusionEngine(device, dispatcher::publish);
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
   * never queues stale work), and its result comes back on the UI thread.
   */
  public <T> void runLatest(String key, String what, EngineTask<T> task, Consumer<T> onResult) {
    AtomicReference<LatestJob<?>> slot = latest.computeIfAbsent(key,
        k -> new AtomicReference<>());
    if (slot.getAndSet(new LatestJob<>(task, onResult)) == null) {
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
  }

  /** A pending request; running it yields the delivery of its result. */
  private record LatestJob<T>(EngineTask<T> task, Consumer<T> onResult) {
    Runnable runOn(dev.diffulab.engine.EngineContext ctx) throws Exception {
      T value = task.run(ctx);
      return () -> onResult.accept(value);
    }
  }

  /** Opens a checkpoint as the model of the Masking and Denoise workspaces. */
  public CompletableFuture<dev.diffulab.core.snapshot.ModelSnapshot> openCheckpoint(Path dir) {
    return run("Opening checkpoint", ctx -> {
      var s = workbench.useCheckpoint(dir, ctx.manager());
      ctx.publish(s);
      return s;
    }, null);
  }

  /** Opens a second checkpoint to compare against in the Denoise workspace; returns its summary. */
  public CompletableFuture<String> openCompareCheckpoint(Path dir) {
    return run("Opening comparison checkpoint",
        ctx -> workbench.useCompareCheckpoint(dir, ctx.manager()), null);
  }

  /** Reads a corpus ({@code null}: TinyTales) and publishes its statistics. */
  public CompletableFuture<CorpusSnapshot> openCorpus(Path file) {
    return run("Reading corpus", ctx -> {
      CorpusSnapshot s = workbench.useCorpus(file);
      ctx.publish(s);
      return s;
    }, null);
  }

  /** Loads a tokenizer ({@code null}: the shipped one) and publishes the re-read corpus. */
  public CompletableFuture<CorpusSnapshot> openTokenizer(Path file) {
    return run("Loading tokenizer", ctx -> {
      CorpusSnapshot s = workbench.useTokenizer(file);
      ctx.publish(s);
      return s;
    }, null);
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
