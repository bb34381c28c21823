package dev.diffulab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.snapshot.EngineStatus.State;
import dev.diffulab.core.snapshot.EngineStatus;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.engine.runtime.CancelledException;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.runtime.EngineTask;
import dev.diffulab.engine.runtime.StepwiseTask;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one long-lived thread that owns every DJL object. Tasks go in through a queue and run in
 * order; snapshots come out through the sink. DJL loads on this thread, so a window can show
 * before it has. {@link #close()} cancels the running task, lets the thread finish it and closes
 * the root manager with every manager hung from it.
 */
public final class DiffusionEngine implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DiffusionEngine.class.getName());
  private static final Runnable POISON = () -> {
  };

  private final DeviceChoice deviceChoice;
  private final Consumer<Snapshot> sink;
  private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  /** Short requests (a mask preview) that long tasks run between their steps. */
  private final BlockingQueue<Runnable> interactive = new LinkedBlockingQueue<>();
  private static final Runnable WAKE = () -> {
  };
  private final Thread thread;
  /** Each submitted task's own cancellation token, until its future completes. */
  private final Map<CompletableFuture<?>, AtomicBoolean> tokens = new ConcurrentHashMap<>();
  /** The token of the task running now (a finished task's token, or a fresh one, when idle). */
  private volatile AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final Object pauseLock = new Object();
  private volatile boolean closing;
  private volatile EngineStatus status = EngineStatus.loading();
  private NDManager root;
  private Device device;
  private String engineName = "";
  private String engineVersion = "";

  public DiffusionEngine(DeviceChoice deviceChoice, Consumer<Snapshot> sink) {
    this.deviceChoice = deviceChoice;
    this.sink = sink;
    this.thread = Thread.ofPlatform().name("diffulab-engine").daemon(true).unstarted(this::loop);
  }

  /** Starts the thread; DJL loads on it and the status moves from loading to ready. */
  public DiffusionEngine start() {
    thread.start();
    return this;
  }

  /** Runs {@code task} on the engine thread after everything submitted before it. */
  public <T> CompletableFuture<T> submit(String name, EngineTask<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (closing) {
      result.completeExceptionally(new CancelledException(name));
      return result;
    }
    AtomicBoolean token = new AtomicBoolean();
    tokens.put(result, token);
    result.whenComplete((v, e) -> tokens.remove(result));
    queue.add(() -> runTask(name, task, result, token));
    return result;
  }

  /**
   * Cancels exactly the task of {@code job} (a future {@link #submit} returned): a queued task
   * never starts, a running one stops at its next check. A task that already ended is left
   * alone and so is every other task. Returns whether the task was still pending or running.
   */
  public boolean cancel(CompletableFuture<?> job) {
    AtomicBoolean token = job == null ? null : tokens.get(job);
    if (token == null) {
      return false;
    }
    token.set(true);
    if (token == running) {
      setPaused(false); // a paused run must wake up to stop
    }
    return true;
  }

  /**
   * Runs a short {@code task} on the engine thread as soon as possible: right away when idle, or
   * between two steps of a running training — so the Masking slider answers during a run.
   */
  public <T> CompletableFuture<T> submitInteractive(String name, EngineTask<T> task) {
    return submitInteractive(name, () -> false, task);
  }

  /** As {@link #submitInteractive(String, EngineTask)}, cancellable through {@code cancel}. */
  public <T> CompletableFuture<T> submitInteractive(String name,
      java.util.function.BooleanSupplier cancel, EngineTask<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (refused(name, result)) {
      return result;
    }
    EngineContext context = cancellableBy(cancel);
    interactive.add(() -> {
      if (root == null) {
        result.completeExceptionally(notStarted());
        return;
      }
      try {
        result.complete(task.run(context));
      } catch (Exception | Error e) {
        if (!(e instanceof dev.diffulab.core.InputException)
            && !(e instanceof CancelledException)) {
          LOG.log(Level.WARNING, name + " failed", e);
        }
        result.completeExceptionally(e);
      }
    });
    queue.add(WAKE);
    return result;
  }

  /**
   * Runs the short requests waiting now (not the ones they queue: a stepwise task re-queues its
   * next step, which waits for the next call — one step of it per step of a training run).
   */
  void serviceInteractive() {
    if (root == null) {
      return;
    }
    int waiting = interactive.size();
    for (int i = 0; i < waiting; i++) {
      Runnable r = interactive.poll();
      if (r == null) {
        break;
      }
      r.run();
    }
  }

  /**
   * Runs a task of many steps — a generation — so that it and a running training take turns
   * step by step: neither waits for the other longer than one step, and a Stop of the training
   * takes effect after at most one generation step. When nothing else runs, the steps follow
   * each other at once.
   *
   * <p>How: the task runs on a helper thread that holds the engine in strict alternation with
   * the engine thread — the engine thread hands it one step and waits until the task yields —
   * so DJL is only ever used by one thread at a time, as everywhere else in the engine.
   */
  public <T> CompletableFuture<T> submitStepwise(String name,
      java.util.function.BooleanSupplier cancel, StepwiseTask<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (refused(name, result)) {
      return result;
    }
    EngineContext context = cancellableBy(cancel);
    new StepwiseRun<>(name, task, result, context, step -> {
      interactive.add(step);
      queue.add(WAKE);
    }, () -> root != null, this::notStarted).schedule();
    return result;
  }

  /**
   * Asks whichever task is running now to stop at its next step; queued tasks still run. For
   * closing the window; a Stop or Cancel button names its task with {@link #cancel}.
   */
  public void cancelCurrent() {
    running.set(true);
    setPaused(false);
  }

  /** Fails a request the engine cannot take (closing, or it never started); false otherwise. */
  private boolean refused(String name, CompletableFuture<?> result) {
    if (closing) {
      result.completeExceptionally(new CancelledException(name));
      return true;
    }
    if (status.state() == State.FAILED) {
      result.completeExceptionally(notStarted());
      return true;
    }
    return false;
  }

  /** A context for a request that {@code cancel} (or closing the engine) stops. */
  private EngineContext cancellableBy(java.util.function.BooleanSupplier cancel) {
    return new TaskContext(this, cancel);
  }

  private IllegalStateException notStarted() {
    return new IllegalStateException("the engine did not start: " + status.message());
  }

  public void setPaused(boolean pause) {
    synchronized (pauseLock) {
      paused.set(pause);
      pauseLock.notifyAll();
    }
  }

  public boolean isPaused() {
    return paused.get();
  }

  public EngineStatus status() {
    return status;
  }

  private void loop() {
    try {
      System.getProperties().putIfAbsent("ai.djl.offline", "true");
      Engine engine = Engine.getEngine("PyTorch");
      engineName = engine.getEngineName();
      engineVersion = engine.getVersion();
      device = Devices.pick(engine, deviceChoice);
      // PyTorch records autograd graphs per thread by default; this thread only does so inside a
      // gradient collector (training), so sampling and evaluation build no graphs.
      ai.djl.pytorch.jni.JniUtils.setGradMode(false);
      root = NDManager.newBaseManager(device);
      publishStatus(State.READY, "", Devices.note(engine, deviceChoice));
    } catch (InputException e) {
      publishStatus(State.FAILED, "", e.getMessage());
      drainFailed();
      return;
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "DJL failed to load", e);
      publishStatus(State.FAILED, "", "DJL could not load PyTorch: " + e.getMessage());
      drainFailed();
      return;
    }
    try {
      while (!closing || !queue.isEmpty()) {
        Runnable r = queue.poll(1, TimeUnit.SECONDS);
        serviceInteractive();
        if (r == POISON) {
          break;
        }
        if (r != null && r != WAKE) {
          r.run();
        } else if (r == null && status.state() == State.READY) {
          publishStatus(State.READY, "", status.message());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // stepwise tasks still under way see the engine closing at their next step and unwind
      for (int i = 0; i < 1000 && !interactive.isEmpty(); i++) {
        serviceInteractive();
      }
      root.close();
      publishStatus(State.CLOSED, "", "");
    }
  }

  /** After a failed start: every pending and future request fails with the reason. */
  private void drainFailed() {
    while (!closing) {
      try {
        Runnable r = queue.poll(1, TimeUnit.SECONDS);
        for (Runnable i; (i = interactive.poll()) != null;) {
          i.run(); // fails: root is null
        }
        if (r == POISON) {
          return;
        }
        if (r != null) {
          r.run();
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private <T> void runTask(String name, EngineTask<T> task, CompletableFuture<T> result,
      AtomicBoolean token) {
    if (root == null) {
      result.completeExceptionally(notStarted());
      return;
    }
    if (closing || token.get()) {
      // cancelled before it started: it never runs
      result.completeExceptionally(new CancelledException(name));
      return;
    }
    running = token;
    publishStatus(State.BUSY, name, "");
    TaskContext ctx = new TaskContext(this, token::get);
    try {
      result.complete(task.run(ctx));
      publishStatus(State.READY, "", "");
    } catch (CancellationException e) {
      // cancelled: reported as such, never as a failure
      result.completeExceptionally(e instanceof CancelledException
          ? e
          : new CancelledException(name));
      publishStatus(State.READY, "", name + " cancelled");
    } catch (InputException e) {
      result.completeExceptionally(e);
      publishStatus(State.READY, "", e.getMessage());
    } catch (Exception | Error e) {
      LOG.log(Level.SEVERE, name + " failed", e);
      result.completeExceptionally(e);
      publishStatus(State.READY, "", name + " failed: " + e.getMessage());
    } finally {
      setPaused(false);
    }
  }

  private void publishStatus(State state, String task, String message) {
    status = new EngineStatus(state, Devices.describe(device), engineName, engineVersion,
        engineVersion.isEmpty() ? "" : Engine.getDjlVersion(), Devices.memoryInUse(), task,
        message == null ? "" : message);
    sink.accept(status);
  }

  /**
   * Cancels the running task, waits up to {@code timeoutMillis} for the thread to finish it and
   * close every manager. Returns whether the thread ended in time.
   */
  public boolean close(long timeoutMillis) {
    closing = true;
    cancelCurrent();
    queue.add(POISON);
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  @Override
  public void close() {
    close(10_000);
  }

  Device device() {
    return device;
  }

  private volatile java.util.function.Function<String, CompletableFuture<java.nio.file.Path>> saveAsker;

  /**
   * Who is asked where a checkpoint can go that could not be written anywhere (the window's save
   * dialog); none by default (the command line).
   */
  public void setSaveAsker(
      java.util.function.Function<String, CompletableFuture<java.nio.file.Path>> asker) {
    this.saveAsker = asker;
  }

  java.util.function.Function<String, CompletableFuture<java.nio.file.Path>> saveAsker() {
    return saveAsker;
  }

  NDManager root() {
    return root;
  }

  void publish(Snapshot snapshot) {
    sink.accept(snapshot);
  }

  boolean closing() {
    return closing;
  }

  boolean interactiveWaiting() {
    return !interactive.isEmpty();
  }

  /**
   * Waits up to {@code millis} while paused; false once the run may go on (resumed or
   * cancelled), true while it stays paused.
   */
  boolean awaitPauseChange(java.util.function.BooleanSupplier cancelled, long millis)
      throws InterruptedException {
    synchronized (pauseLock) {
      if (!paused.get() || cancelled.getAsBoolean()) {
        return false;
      }
      pauseLock.wait(millis);
      return true;
    }
  }
}
