package dev.diffulab.engine;

import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.runtime.EngineTask;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Coalesces interactive requests by key: of several made before the engine gets to them (a
 * slider dragged, text typed), only the newest runs; the older ones are cancelled and never run.
 */
final class NewestOnly {
  private final DiffusionEngine engine;
  private final Map<String, AtomicReference<Latest<?>>> slots = new ConcurrentHashMap<>();

  NewestOnly(DiffusionEngine engine) {
    this.engine = engine;
  }

  /**
   * Runs {@code task} as the newest request of {@code key}: a request superseded before the
   * engine got to it is cancelled and never runs.
   */
  <T> CompletableFuture<T> submit(String key, String what, EngineTask<T> task) {
    AtomicReference<Latest<?>> slot = slots.computeIfAbsent(key, k -> new AtomicReference<>());
    Latest<T> job = new Latest<>(task, new CompletableFuture<>());
    Latest<?> superseded = slot.getAndSet(job);
    if (superseded != null) {
      superseded.result().cancel(false);
    } else {
      engine.submitInteractive(what, ctx -> {
        Latest<?> next = slot.getAndSet(null);
        if (next != null) {
          next.runOn(ctx);
        }
        return null;
      }).whenComplete((v, e) -> {
        if (e != null) {
          // the engine could not run it at all (closing, failed to start)
          Latest<?> pending = slot.getAndSet(null);
          if (pending != null) {
            pending.result().completeExceptionally(e);
          }
        }
      });
    }
    return job.result();
  }

  private record Latest<T>(EngineTask<T> task, CompletableFuture<T> result) {
    void runOn(EngineContext ctx) {
      try {
        result.complete(task.run(ctx));
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    }
  }
}
