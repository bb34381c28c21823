package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.snapshot.EngineStatus;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.engine.LabService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one request of a headless command on a fresh {@link LabService} (the same service the
 * window uses) and returns its answer; Ctrl+C stops the request the way Stop does in the window.
 */
final class EngineRunner {
  private EngineRunner() {
  }

  static <T> T run(DeviceChoice device, Consumer<Snapshot> sink,
      Function<LabService, CompletableFuture<T>> request) throws Exception {
    try (LabService lab = new LabService(device, sink).start()) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> lab.close(10_000)));
      try {
        return request.apply(lab).get();
      } catch (ExecutionException | CompletionException e) {
        if (lab.status().state() == EngineStatus.State.FAILED) {
          throw new InputException(lab.status().message());
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
