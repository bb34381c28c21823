package dev.diffulab.engine;

import dev.diffulab.core.InputException;
import dev.diffulab.engine.runtime.CancelledException;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.runtime.StepwiseTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A stepwise task in progress ({@link DiffusionEngine#submitStepwise}): its helper thread and the
 * two hand-over points. The engine thread runs {@link #step} from its interactive queue; the
 * helper runs the task until it yields, while the engine thread waits — so only one of them ever
 * uses DJL at a time — and the next step is queued behind whatever else the engine does.
 */
final class StepwiseRun<T> {
  private static final Logger LOG = Logger.getLogger(StepwiseRun.class.getName());
  private static final Object STEP = new Object();
  private static final Object DONE = new Object();

  private final String name;
  private final StepwiseTask<T> task;
  private final CompletableFuture<T> result;
  private final EngineContext context;
  private final Consumer<Runnable> enqueue;
  private final BooleanSupplier engineReady;
  private final Supplier<RuntimeException> notStarted;
  private final SynchronousQueue<Boolean> go = new SynchronousQueue<>();
  private final SynchronousQueue<Object> back = new SynchronousQueue<>();
  private Thread worker;

  /**
   * @param enqueue puts a step on the engine's interactive queue (and wakes the engine)
   * @param engineReady whether the engine started
   * @param notStarted the error for a request to an engine that did not start
   */
  StepwiseRun(String name, StepwiseTask<T> task, CompletableFuture<T> result,
      EngineContext context, Consumer<Runnable> enqueue, BooleanSupplier engineReady,
      Supplier<RuntimeException> notStarted) {
    this.name = name;
    this.task = task;
    this.result = result;
    this.context = context;
    this.enqueue = enqueue;
    this.engineReady = engineReady;
    this.notStarted = notStarted;
  }

  /** Queues the next step. */
  void schedule() {
    enqueue.accept(this::step);
  }

  /** On the engine thread: lets the task run until it yields or ends. */
  private void step() {
    if (!engineReady.getAsBoolean()) {
      result.completeExceptionally(notStarted.get());
      return;
    }
    if (worker == null) {
      worker = Thread.ofPlatform().name("diffulab-engine-steps").daemon(true)
          .start(this::work);
    }
    try {
      go.put(Boolean.TRUE);
      if (back.take() == STEP) {
        schedule();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** On the helper thread, only ever while the engine thread waits for it. */
  private void work() {
    try {
      go.take();
      ai.djl.pytorch.jni.JniUtils.setGradMode(false);
      result.complete(task.run(context, () -> {
        try {
          back.put(STEP);
          go.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancelledException(name);
        }
      }));
    } catch (Exception | Error e) {
      if (!(e instanceof InputException) && !(e instanceof CancelledException)) {
        LOG.log(Level.WARNING, name + " failed", e);
      }
      result.completeExceptionally(e);
    } finally {
      try {
        back.put(DONE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
