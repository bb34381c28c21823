package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.snapshot.EngineStatus;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.engine.DiffusionEngine;
import dev.diffulab.engine.runtime.EngineTask;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** Runs one task on a fresh engine thread for a headless command and returns its result. */
final class EngineRunner {
  private EngineRunner() {
  }

  static <T> T run(DeviceChoice device, Consumer<Snapshot> sink, String what, EngineTask<T> task)
      throws Exception {
    try (DiffusionEngine engine = new DiffusionEngine(device, sink).start()) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> engine.close(10_000)));
      try {
        return engine.submit(what, task).get();
      } catch (ExecutionException | CompletionException e) {
        if (engine.status().state() == EngineStatus.State.FAILED) {
          throw new InputException(engine.status().message());
        }
        Throwable c = e.getCause();
        if (c instanceof Exception ex) {
          throw ex;
        }
        throw e;
      }
    }
  }
}
