package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.engine.masked.MaskedSampler;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stepwise task (a generation that takes turns with a training run) runs its DJL work on a
 * helper thread while the engine thread waits. PyTorch keeps grad mode per thread, so the
 * hand-over is safe only if the helper's state is the engine's sampling state whatever the
 * engine thread is doing: grad mode stays off on the helper even while the training between its
 * steps records gradients, the training's grad mode is untouched by the helper, and the samples
 * are exactly those the engine thread draws by itself.
 */
class StepwiseHandOverTest {
  private static final RunConfig CONFIG = RunConfig.parse("{\"name\": \"t\", \"seed\": 3,"
      + " \"model\": {\"d_model\": 32, \"layers\": 1, \"heads\": 2, \"ffn\": 64, \"seq_len\": 32},"
      + " \"sampler\": {\"steps\": 10, \"remasking\": \"low-confidence\"}}", "test");

  private static List<DenoiseTrace> sample(EngineContext ctx, Runnable afterEachStep) {
    try (TextTokenizer t = TextTokenizer.tinyTales();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(CONFIG.model(), t.vocabSize(),
            t.specialMask(), ctx.manager(), 4)) {
      return MaskedSampler.sample(model, t, CONFIG.sampler(), new int[]{24, 32}, new int[0], 9,
          ctx, (k, n) -> afterEachStep.run());
    }
  }

  @Test
  void theHelperThreadSamplesInTheEngineThreadsStateWhileATrainingRecordsGradients()
      throws Exception {
    List<Boolean> helperGrad = new CopyOnWriteArrayList<>();
    List<Boolean> trainingGrad = new CopyOnWriteArrayList<>();
    List<Thread> helpers = new CopyOnWriteArrayList<>();
    try (DiffusionEngine engine = new DiffusionEngine(DeviceChoice.CPU, s -> {
    }).start()) {
      List<DenoiseTrace> alone = engine.submit("alone", ctx -> sample(ctx, () -> {
      })).get(120, TimeUnit.SECONDS);
      Thread engineThread = engine.submit("which thread", ctx -> Thread.currentThread())
          .get(60, TimeUnit.SECONDS);
      CompletableFuture<Void> recording = new CompletableFuture<>();
      CompletableFuture<Integer> training = engine.submit("training", ctx -> {
        int steps = 0;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
          recording.complete(null);
          while (!ctx.cancelled() && steps < 100_000) {
            trainingGrad.add(JniUtils.isGradMode());
            ctx.serviceInteractive(); // a generation's step runs here, on the helper thread
            steps++;
          }
        }
        return steps;
      });
      recording.get(60, TimeUnit.SECONDS);
      List<DenoiseTrace> stepwise = engine.submitStepwise("Generating", () -> false,
          (ctx, yieldStep) -> {
            helpers.add(Thread.currentThread());
            helperGrad.add(JniUtils.isGradMode());
            return sample(ctx, () -> {
              helperGrad.add(JniUtils.isGradMode());
              yieldStep.run();
              helperGrad.add(JniUtils.isGradMode());
            });
          }).get(120, TimeUnit.SECONDS);
      engine.cancel(training);
      assertTrue(training.get(60, TimeUnit.SECONDS) > 0);
      assertFalse(helpers.contains(engineThread), "the generation ran on the helper thread");
      assertEquals(List.of(false), helperGrad.stream().distinct().toList(),
          "grad mode is off on the helper at every step, while the training records gradients");
      assertEquals(Collections.singletonList(true), trainingGrad.stream().distinct().toList(),
          "the training's grad mode is its own after every generation step");
      for (int b = 0; b < alone.size(); b++) {
        assertEquals(alone.get(b).finalText(), stepwise.get(b).finalText());
        for (int k = 0; k < alone.get(b).steps().size(); k++) {
          assertArrayEquals(alone.get(b).steps().get(k).tokens(),
              stepwise.get(b).steps().get(k).tokens());
          assertArrayEquals(alone.get(b).steps().get(k).entropy(),
              stepwise.get(b).steps().get(k).entropy());
        }
      }
    }
  }
}
