package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.snapshot.EngineStatus;
import dev.diffulab.core.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DiffusionEngineTest {
  private final List<Snapshot> published = new CopyOnWriteArrayList<>();

  @Test
  void commandsRunInOrderOnOneThreadAndStatusNamesTheDevice() throws Exception {
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.AUTO, published::add).start()) {
      List<Integer> order = Collections.synchronizedList(new ArrayList<>());
      Set<Thread> threads = Collections.synchronizedSet(new HashSet<>());
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int k = i;
        futures.add(engine.submit("task " + k, ctx -> {
          threads.add(Thread.currentThread());
          order.add(k);
          try (NDManager m = ctx.manager().newSubManager()) {
            NDArray a = m.arange(k + 1);
            return (int) a.sum().toLongArray()[0];
          }
        }));
      }
      for (int i = 0; i < 200; i++) {
        assertEquals(i * (i + 1) / 2, futures.get(i).get(60, TimeUnit.SECONDS));
      }
      assertEquals(java.util.stream.IntStream.range(0, 200).boxed().toList(), order);
      assertEquals(1, threads.size());
      assertEquals("diffulab-engine", threads.iterator().next().getName());
      EngineStatus status = engine.status();
      assertTrue(status.device().startsWith("CPU"), status.device());
      assertEquals("PyTorch", status.engine());
      assertFalse(status.engineVersion().isEmpty());
    }
  }

  @Test
  void shutdownMidTaskStopsItPromptlyAndClosesEveryManager() throws Exception {
    DiffusionEngine engine = new DiffusionEngine(DeviceChoice.CPU, published::add).start();
    CompletableFuture<NDManager> held = new CompletableFuture<>();
    CompletableFuture<Void> longTask = engine.submit("long task", ctx -> {
      NDManager sub = ctx.manager().newSubManager();
      sub.ones(new ai.djl.ndarray.types.Shape(1000));
      held.complete(sub);
      while (true) {
        ctx.checkCancelled("long task");
        Thread.sleep(5);
      }
    });
    NDManager sub = held.get(60, TimeUnit.SECONDS);
    CompletableFuture<String> queued = engine.submit("queued", ctx -> "ran");
    long t0 = System.nanoTime();
    assertTrue(engine.close(5000), "engine thread did not end");
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
    assertThrows(java.util.concurrent.CancellationException.class, longTask::join);
    assertThrows(java.util.concurrent.CancellationException.class, queued::join);
    assertFalse(sub.isOpen(), "a manager survived shutdown");
    assertEquals(EngineStatus.State.CLOSED, engine.status().state());
  }

  @Test
  void interactiveRequestsAnswerBetweenTheStepsOfALongTaskOnTheEngineThread() throws Exception {
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.CPU, published::add).start()) {
      CompletableFuture<Void> running = new CompletableFuture<>();
      CompletableFuture<Void> longTask = engine.submit("long", ctx -> {
        running.complete(null);
        while (!ctx.cancelled()) {
          ctx.serviceInteractive();
          Thread.sleep(5);
        }
        return null;
      });
      running.get(60, TimeUnit.SECONDS);
      String thread = engine.submitInteractive("preview", ctx -> Thread.currentThread().getName())
          .get(10, TimeUnit.SECONDS);
      assertEquals("diffulab-engine", thread);
      assertFalse(longTask.isDone(), "the long task was interrupted");
      engine.cancelCurrent();
    }
  }

  @Test
  void pauseHoldsATaskUntilResumed() throws Exception {
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.CPU, published::add).start()) {
      engine.setPaused(true);
      CompletableFuture<String> f = engine.submit("paused", ctx -> {
        ctx.awaitResume();
        return "resumed";
      });
      Thread.sleep(300);
      assertFalse(f.isDone());
      engine.setPaused(false);
      assertEquals("resumed", f.get(30, TimeUnit.SECONDS));
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"masked", "cdcd"})
  void measuringAStepCostTimesRealStepsAndSavesNothing(String method,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    var config = dev.diffulab.core.config.RunConfig.parse("""
        {"name": "measure", "method": "%s", "device": "cpu",
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 48},
         "data": {"tinytales_stories": 50000},
         "train": {"steps": 1000, "batch_size": 8}}
        """.formatted(method), "test");
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.CPU, published::add).start()) {
      var cost = engine.submit("measure", ctx -> new dev.diffulab.engine.train.TrainingRun(
          new dev.diffulab.engine.train.TrainingRun.Request("m", config, dir.resolve("out"), null),
          ctx).measure(3)).get(120, TimeUnit.SECONDS);
      assertEquals(3, cost.measuredSteps());
      assertEquals("CPU", cost.device());
      assertTrue(cost.secondsPerStep() > 0 && cost.secondsPerStep() < 30, cost.toString());
      assertTrue(cost.tokensPerSecond() > 0);
      assertEquals((long) (cost.secondsPerStep() * 1000 * 1000), cost.millisFor(1000));
      assertFalse(java.nio.file.Files.exists(dir.resolve("out")), "measuring writes nothing");
      assertTrue(
          published.stream().anyMatch(s -> s instanceof dev.diffulab.core.snapshot.TrainProgress p
              && p.message().equals("timing step 3 of 3")));
    }
  }

  /** Waits up to 10 s for the engine to publish a status with this message. */
  private void awaitStatus(String message) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (published.stream().noneMatch(x -> x instanceof EngineStatus st
        && st.message().equals(message))) {
      assertTrue(System.nanoTime() < until, "no status \"" + message + "\"");
      Thread.sleep(5);
    }
  }

  /** A task that runs until it is cancelled, telling when it has started. */
  private static dev.diffulab.engine.runtime.EngineTask<String> untilCancelled(
      CompletableFuture<Void> started, String name) {
    return ctx -> {
      started.complete(null);
      while (!ctx.cancelled()) {
        Thread.sleep(2);
      }
      throw new dev.diffulab.engine.runtime.CancelledException(name);
    };
  }

  @Test
  void cancelStopsExactlyTheTaskItNamesAndIsReportedAsCancelled() throws Exception {
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.CPU, published::add).start()) {
      CompletableFuture<Void> aStarted = new CompletableFuture<>();
      CompletableFuture<String> a = engine.submit("task A", untilCancelled(aStarted, "task A"));
      CompletableFuture<String> b = engine.submit("task B", ctx -> "B ran");
      CompletableFuture<String> c = engine.submit("task C", ctx -> "C ran");
      aStarted.get(60, TimeUnit.SECONDS);
      // cancelling queued C never touches running A; C never runs, B still does
      assertTrue(engine.cancel(c));
      Thread.sleep(50);
      assertFalse(a.isDone(), "cancelling a queued task stopped the running one");
      assertTrue(engine.cancel(a));
      assertThrows(java.util.concurrent.CancellationException.class, a::join);
      assertEquals("B ran", b.get(60, TimeUnit.SECONDS));
      assertThrows(java.util.concurrent.CancellationException.class, c::join);
      // a Stop aimed at a task that already ended is not kept for the next one
      assertFalse(engine.cancel(a));
      CompletableFuture<Void> dStarted = new CompletableFuture<>();
      CompletableFuture<String> d = engine.submit("task D", ctx -> {
        dStarted.complete(null);
        Thread.sleep(100);
        return ctx.cancelled() ? "cancelled by mistake" : "D ran";
      });
      assertEquals("D ran", d.get(60, TimeUnit.SECONDS));
      awaitStatus("task A cancelled");
      assertTrue(published.stream().noneMatch(x -> x instanceof EngineStatus st
          && st.message().contains("failed")), "nothing is reported as failed");
    }
  }

  @Test
  void measuringAFullRunCancelledIsCancelledNotFailed() throws Exception {
    dev.diffulab.core.config.RunConfig c = dev.diffulab.core.config.RunConfig.parse("""
        {"model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 100}}
        """, "test");
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.CPU, published::add).start()) {
      CompletableFuture<dev.diffulab.core.snapshot.StepCost> m = engine
          .submit(
              "Measuring a full run", ctx -> new dev.diffulab.engine.train.TrainingRun(
                  new dev.diffulab.engine.train.TrainingRun.Request("m", c, null, null), ctx)
                  .measure(1, 100_000));
      while (published.stream()
          .noneMatch(x -> x instanceof dev.diffulab.core.snapshot.TrainProgress p
              && p.message().startsWith("timing"))) {
        Thread.sleep(5);
      }
      engine.cancel(m);
      var e = assertThrows(java.util.concurrent.CancellationException.class,
          () -> m.get(60, TimeUnit.SECONDS));
      assertTrue(String.valueOf(e.getCause()).contains("measuring a full run was cancelled"),
          String.valueOf(e.getCause()));
      awaitStatus("Measuring a full run cancelled");
      assertTrue(published.stream().noneMatch(x -> x instanceof EngineStatus st
          && st.message().contains("failed")), "nothing is reported as failed");
    }
  }

  @Test
  void anEngineThatFailsToStartFailsEveryRequestWithItsReason() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0,
        "needs a machine without a GPU");
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.GPU, published::add)) {
      // asked before the engine has even tried to start, and after it failed
      CompletableFuture<String> early = engine.submit("early", ctx -> "ran");
      CompletableFuture<String> earlyPreview = engine.submitInteractive("preview", ctx -> "ran");
      engine.start();
      for (CompletableFuture<String> f : List.of(early, earlyPreview)) {
        var e = assertThrows(java.util.concurrent.ExecutionException.class,
            () -> f.get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("GPU"), e.getCause().getMessage());
      }
      assertEquals(EngineStatus.State.FAILED, engine.status().state());
      CompletableFuture<String> late = engine.submitInteractive("late preview", ctx -> "ran");
      var e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> late.get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("did not start"), e.getMessage());
    }
  }

  @Test
  void aGenerationAndATrainingTakeTurnsStepByStep() throws Exception {
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.CPU, published::add).start()) {
      List<String> events = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> trainingStarted = new CompletableFuture<>();
      CompletableFuture<Integer> training = engine.submit("training", ctx -> {
        trainingStarted.complete(null);
        int steps = 0;
        while (!ctx.cancelled() && steps < 10_000) {
          try (NDManager m = ctx.manager().newSubManager()) {
            m.ones(new ai.djl.ndarray.types.Shape(64)).sum().getFloat();
          }
          events.add("T");
          steps++;
          ctx.serviceInteractive();
        }
        return steps;
      });
      trainingStarted.get(60, TimeUnit.SECONDS);
      Set<Thread> genThreads = Collections.synchronizedSet(new HashSet<>());
      CompletableFuture<Integer> generation = engine.submitStepwise("Generating", () -> false,
          (ctx, yieldStep) -> {
            for (int k = 0; k < 6; k++) {
              try (NDManager m = ctx.manager().newSubManager()) {
                m.arange(8f).sum().getFloat();
              }
              genThreads.add(Thread.currentThread());
              events.add("G");
              yieldStep.run();
            }
            return 6;
          });
      assertEquals(6, generation.get(60, TimeUnit.SECONDS));
      // Stop during a generation takes effect at the training's next step
      CompletableFuture<Integer> second = engine.submitStepwise("Generating", () -> false,
          (ctx, yieldStep) -> {
            for (int k = 0; k < 1000; k++) {
              ctx.checkCancelled("Generating");
              events.add("g");
              yieldStep.run();
            }
            return 1000;
          });
      while (!events.contains("g")) {
        Thread.sleep(1);
      }
      engine.cancel(training);
      int trained = training.get(60, TimeUnit.SECONDS);
      assertTrue(trained < 10_000, "the training stopped");
      assertEquals(1000, second.get(60, TimeUnit.SECONDS), "the generation goes on alone");
      List<String> seen = List.copyOf(events);
      int first = seen.indexOf("G");
      int last = seen.lastIndexOf("G");
      for (int i = first; i < last; i++) {
        assertFalse(seen.get(i).equals("G") && seen.get(i + 1).equals("G"),
            "two generation steps in a row while training ran, at " + i);
      }
      assertTrue(seen.subList(first, last).contains("T"), "training went on meanwhile");
      assertFalse(genThreads.contains(Thread.currentThread()));
    }
  }
}
