package dev.diffulab.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.engine.runtime.EngineContext;
import java.util.function.BooleanSupplier;

/**
 * What one task of the {@link DiffusionEngine} sees: the device and root manager, the sink, and
 * its own cancellation — its token or the engine closing.
 */
final class TaskContext implements EngineContext {
  private final DiffusionEngine engine;
  private final BooleanSupplier stop;

  TaskContext(DiffusionEngine engine, BooleanSupplier stop) {
    this.engine = engine;
    this.stop = stop;
  }

  @Override
  public Device device() {
    return engine.device();
  }

  @Override
  public NDManager manager() {
    return engine.root();
  }

  @Override
  public void publish(Snapshot snapshot) {
    engine.publish(snapshot);
  }

  @Override
  public boolean cancelled() {
    return engine.closing() || stop.getAsBoolean();
  }

  @Override
  public boolean paused() {
    return engine.isPaused();
  }

  @Override
  public void awaitResume() throws InterruptedException {
    while (true) {
      // while paused, a generation under way runs at full speed
      do {
        engine.serviceInteractive();
      } while (engine.interactiveWaiting() && !cancelled());
      if (!engine.awaitPauseChange(this::cancelled, 50)) {
        return;
      }
    }
  }

  @Override
  public void serviceInteractive() {
    engine.serviceInteractive();
  }

  @Override
  public java.nio.file.Path askWhereToSave(String problem) {
    var asker = engine.saveAsker();
    if (asker == null) {
      return null;
    }
    java.util.concurrent.CompletableFuture<java.nio.file.Path> answer = asker.apply(problem);
    while (!cancelled()) {
      try {
        return answer.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // still asking; a cancel or the engine closing ends the wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        return null;
      }
    }
    answer.cancel(false);
    return null;
  }
}
