package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.Method;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.denoise.DenoiseWorkspaceView;
import dev.diffulab.ui.masking.MaskingWorkspaceView;
import dev.diffulab.ui.train.ShippedConfigs;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * CodeFusion's encoder–diffusion–decoder as a person meets it: Task → summaries, Method →
 * Latent diffusion, Quick test — reconstruction of the summaries, then held-out stories answered
 * and graded on the chart; Noising shows a story with its summary, the story given and only the
 * summary noised and written back; Denoise answers a story typed in, which stays given at the top
 * of every DDIM step, and offers no thought-by-thought passes.
 */
class CodeFusionUiTest extends AppUiTest {
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void tinyCodeFusionRun() throws Exception {
    useQuickTest("diffulab.quickTestConfigSummariesLatent", "codefusion", """
        {"name": "codefusion", "method": "latent", "device": "cpu", "seed": 2,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 128},
         "data": {"corpus": "tinytales-summaries", "task_examples": 200,
                  "validation_fraction": 0.1},
         "train": {"steps": 60, "batch_size": 8, "learning_rate": 0.003, "warmup_steps": 2,
                   "eval_every": 20, "sample_every": 20, "log_every": 5},
         "sampler": {"steps": 5, "num_samples": 2},
         "autoencoder": {"latents": 4, "latent_dim": 8, "first_steps": 20,
                         "diffusion_steps": 100}}
        """);
  }

  @AfterAll
  static void clear() {
    clearQuickTest("diffulab.quickTestConfigSummariesLatent");
  }

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  @Test
  @SuppressWarnings("unchecked")
  void itSummarisesAStoryItKeepsGiven() throws Exception {
    clickOn("#trainTab");
    var train = lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class).model();
    ChoiceBox<ShippedConfigs.Task> task = lookup("#taskChoice").queryAs(ChoiceBox.class);
    ChoiceBox<Method> method = lookup("#methodChoice").queryAs(ChoiceBox.class);
    interact(() -> task.setValue(ShippedConfigs.Task.SUMMARIES));
    interact(() -> method.setValue(Method.LATENT));
    assertEquals("tinytales-summaries", train.config().value("data.corpus").get());
    assertEquals("latent", train.config().value("method").get());
    LiveLineChart samples = lookup("#samplesChart").queryAs(LiveLineChart.class);
    clickOn("#quickTestButton");
    try {
      WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> !train.runningProperty().get()
          && samples.series().stream().anyMatch(s -> String.valueOf(s.getKey())
              .startsWith("exact answers") && s.getItemCount() >= 2));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answers graded in 180 s: running "
          + train.runningProperty().get() + ", step '" + train.stepTextProperty().get()
          + "', series " + samples.series().stream().map(s -> s.getKey() + "="
              + s.getItemCount()).toList()
          + ", errors " + errors, e);
    }
    assertTrue(errors.isEmpty(), errors.toString());

    clickOn("#maskingTab");
    MaskingWorkspaceView masking = lookup("#maskingWorkspace")
        .queryAs(MaskingWorkspaceView.class);
    var vm = masking.model();
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.modelProperty().get() != null
        && vm.modelProperty().get().answers());
    clickOn("#randomStoryButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.tokensProperty().get() != null
        && vm.tokensProperty().get().given() > 0 && vm.predictionProperty().get() != null
        && vm.predictionProperty().get().topTokens().length == vm.tokensProperty().get()
            .ids().length);
    String shown = lookup("#maskText").queryAs(TextArea.class)
        .getText();
    assertTrue(shown.contains("→"), "a story and its summary: " + shown);
    var t = vm.tokensProperty().get();
    var p = vm.predictionProperty().get();
    for (int i = 0; i < t.ids().length; i++) {
      assertEquals(i >= t.given(), p.topTokens()[i].length > 0,
          "position " + i + ": the story is given, its summary written back");
    }

    assertTrue(lookup("#maskingLegend").lookup(".label").queryAll().stream()
        .anyMatch(n -> "prompt (never noised)".equals(((javafx.scene.control.Label) n)
            .getText())),
        "the legend speaks of noise, not masks");

    clickOn("#denoiseTab");
    DenoiseWorkspaceView denoise = lookup("#denoiseWorkspace")
        .queryAs(DenoiseWorkspaceView.class);
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
        () -> denoise.model().modelProperty().get() != null
            && denoise.model().modelProperty().get().answers());
    assertFalse(lookup("#heatmapCaption").queryAs(javafx.scene.control.Label.class).getText()
        .contains("masked"), "nothing is masked in a latent run");
    assertFalse(lookup("#multiPassToggle").query().isVisible(),
        "a latent model decodes a response whole: no thought-by-thought passes");
    assertTrue(lookup("#guidanceSpinner").query().isVisible(),
        "its denoiser learned without the story too: guidance can be set");
    javafx.scene.control.Spinner<Double> guidance = lookup("#guidanceSpinner")
        .queryAs(javafx.scene.control.Spinner.class);
    interact(() -> guidance.getValueFactory().setValue(2.0));
    TextField prompt = lookup("#prefixField").queryAs(TextField.class);
    interact(() -> prompt.setText("Tom was a little dog. He lost his red ball in the park."));
    clickOn("#generateButton");
    WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS,
        () -> !denoise.model().tracesAProperty().get().isEmpty());
    WaitForAsyncUtils.waitForFxEvents();
    DenoiseTrace trace = denoise.model().tracesAProperty().get().getFirst();
    assertTrue(trace.prefixLength() > 10, "the story and its separator: "
        + trace.prefixLength());
    assertEquals(6, trace.steps().size(), "the starting noise, then 5 DDIM steps");
    assertTrue(trace.settings().contains("guidance 2.0"), trace.settings());
    int[] story = java.util.Arrays.copyOf(trace.steps().getFirst().tokens(),
        trace.prefixLength());
    for (TraceStep s : trace.steps()) {
      assertTrue(java.util.Arrays.equals(story, java.util.Arrays.copyOf(s.tokens(),
          trace.prefixLength())), "the story never changes");
      for (int i = 0; i < trace.prefixLength(); i++) {
        assertEquals(TokenState.GIVEN, s.states()[i]);
      }
    }
    assertTrue(errors.isEmpty(), errors.toString());
  }
}
