package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.Method;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.denoise.DenoiseWorkspaceView;
import dev.diffulab.ui.train.ShippedConfigs;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The multiplication task as a person meets it: Task → Multiplication, Quick test, held-out
 * accuracy on the chart as it trains; then Denoise with a question that stays fixed at the top of
 * every step while the answer is written, graded; and a model that answers asks for a question.
 */
class PairTaskUiTest extends AppUiTest {
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void tinyTask() throws Exception {
    useQuickTest("diffulab.quickTestConfigMultiplication", "pairs", """
        {"name": "mult", "method": "masked", "device": "cpu", "seed": 2,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 16},
         "data": {"corpus": "multiplication-1x1", "tokenizer": "digits", "task_examples": 81,
                  "validation_fraction": 0.2},
         "train": {"steps": 40, "batch_size": 16, "learning_rate": 0.003, "warmup_steps": 2,
                   "eval_every": 10, "sample_every": 10, "log_every": 5},
         "sampler": {"steps": 8, "sampling": "greedy", "num_samples": 4}}
        """);
  }

  @AfterAll
  static void clear() {
    clearQuickTest("diffulab.quickTestConfigMultiplication");
  }

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theTaskTrainsWithItsAccuracyAndDenoiseKeepsTheQuestion() throws Exception {
    clickOn("#trainTab");
    var train = lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class).model();
    ChoiceBox<ShippedConfigs.Task> task = lookup("#taskChoice").queryAs(ChoiceBox.class);
    ChoiceBox<Method> method = lookup("#methodChoice").queryAs(ChoiceBox.class);
    interact(() -> method.setValue(Method.AUTOREGRESSIVE));
    assertEquals(ShippedConfigs.Task.MULTIPLICATION, task.getValue(),
        "the baseline learns tasks only: choosing it chooses the task");
    interact(() -> task.setValue(ShippedConfigs.Task.STORIES));
    assertEquals(Method.MASKED, method.getValue(), "stories take a diffusion family back");
    interact(() -> task.setValue(ShippedConfigs.Task.MULTIPLICATION));
    assertEquals("multiplication-1x1", train.config().value("data.corpus").get(),
        "the settings take the task's quick test");
    LiveLineChart samples = lookup("#samplesChart").queryAs(LiveLineChart.class);
    clickOn("#quickTestButton");
    // the run is over when its last evaluation is on the chart and it no longer runs (the step
    // label alone says "/ 40" before the run has started)
    try {
      WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !train.runningProperty().get()
          && samples.series().stream().anyMatch(s -> String.valueOf(s.getKey())
              .startsWith("exact answers") && s.getItemCount() >= 4));
    } catch (java.util.concurrent.TimeoutException e) {
      // say what the window shows, so that a failure in the suite can be read
      throw new AssertionError("no 4 accuracy points in 120 s: running "
          + train.runningProperty().get() + ", step '" + train.stepTextProperty().get()
          + "', stats '" + train.statsTextProperty().get() + "', series " + samples.series()
              .stream().map(s -> s.getKey() + "=" + s.getItemCount()).toList()
          + ", errors "
          + errors + ", corpus " + train.config().value("data.corpus").get(), e);
    }
    WaitForAsyncUtils.waitForFxEvents();
    var exact = samples.series().stream()
        .filter(s -> String.valueOf(s.getKey()).startsWith("exact answers")).findFirst();
    assertTrue(exact.isPresent(), "the quality chart plots exact answers for a task");
    assertTrue(exact.get().getItemCount() >= 4, "an accuracy point at every evaluation");
    assertTrue(samples.series().stream().anyMatch(s -> s.getKey().equals(
        "right partial products (facts, ROUGE-L)") && s.getItemCount() >= 4));

    clickOn("#denoiseTab");
    DenoiseWorkspaceView denoise = lookup("#denoiseWorkspace").queryAs(DenoiseWorkspaceView.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> denoise.model().modelProperty().get() != null
            && denoise.model().modelProperty().get().answers());
    TextField prompt = lookup("#prefixField").queryAs(TextField.class);
    assertEquals("question (required)", prompt.getPromptText());
    assertTrue(lookup("#lengthSpinner").query().isDisabled(),
        "an answer fills the canvas it trained on");
    interact(() -> prompt.setText(""));
    clickOn("#generateButton");
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !errors.isEmpty());
    assertTrue(errors.getFirst().contains("answers prompts"), errors.toString());
    errors.clear();
    interact(() -> prompt.setText("7 * 8"));
    clickOn("#generateButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> !denoise.model().tracesAProperty().get().isEmpty());
    WaitForAsyncUtils.waitForFxEvents(); // the traces are set, then judged
    List<DenoiseTrace> traces = denoise.model().tracesAProperty().get();
    for (DenoiseTrace t : traces) {
      int[] question = Arrays.copyOf(t.steps().getFirst().tokens(), t.prefixLength());
      assertEquals("7 * 8 [SEP]", String.join(" ", Arrays.stream(question)
          .mapToObj(i -> t.vocab().get(i)).toList()));
      for (var step : t.steps()) {
        assertArrayEquals(question, Arrays.copyOf(step.tokens(), t.prefixLength()),
            "the question never changes while the answer is denoised");
      }
      assertTrue(t.stepCount() > 1);
      assertTrue(t.finalText().startsWith("7 * 8 → "), t.finalText());
    }
    Label verdict = from(denoise).lookup("#verdictLabel").queryAs(Label.class);
    assertTrue(verdict.getText().matches("[✔✘] (right|wrong): .*  ·  \\d of \\d samples right.*"),
        "verdict: '" + verdict.getText() + "' / '" + denoise.model().verdictProperty().get()
            + "' for " + traces.getFirst().finalText());
    assertFalse(verdict.getText().contains("TinyTales"));
    assertTrue(verdict.getText().contains("majority: "), "the samples vote: " + verdict.getText());
    // run B beside it (other settings of the same model here; the AR baseline when it is the
    // compared model) is graded too
    javafx.scene.control.CheckBox compareB = lookup("#compareToggle").queryAs(
        javafx.scene.control.CheckBox.class);
    interact(() -> compareB.setSelected(true));
    var before = denoise.model().tracesAProperty().get();
    clickOn("#generateButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> denoise.model().tracesAProperty().get() != before
            && !denoise.model().tracesBProperty().get().isEmpty());
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(verdict.getText().matches(".*samples right.*\\|   B: [✔✘] (right|wrong): .*"
        + "\\d of \\d samples right.*"), verdict.getText());
    interact(() -> compareB.setSelected(false));
    // thought by thought: the passes in a row, the question still fixed at every step
    javafx.scene.control.CheckBox multi = lookup("#multiPassToggle").queryAs(
        javafx.scene.control.CheckBox.class);
    assertTrue(multi.isVisible(), "offered for a model that answers");
    interact(() -> multi.setSelected(true));
    var single = denoise.model().tracesAProperty().get();
    clickOn("#generateButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> denoise.model().tracesAProperty().get() != single);
    WaitForAsyncUtils.waitForFxEvents();
    for (DenoiseTrace t : denoise.model().tracesAProperty().get()) {
      assertTrue(t.settings().endsWith("one thought a pass"), t.settings());
      int[] question = Arrays.copyOf(t.steps().getFirst().tokens(), t.prefixLength());
      for (var step : t.steps()) {
        assertArrayEquals(question, Arrays.copyOf(step.tokens(), t.prefixLength()));
      }
    }
    // how many steps the answers need: a curve over step counts, measured on held-out prompts
    clickOn("#stepsCurveButton");
    var window = lookup("#stepsCurveWindow").queryAs(javafx.scene.layout.BorderPane.class);
    var curve = (dev.diffulab.ui.denoise.StepsCurveWindow) window.getUserData();
    TextField counts = from(window).lookup("#stepsCurveSteps").queryAs(TextField.class);
    assertEquals("1,2,4,8,16", counts.getText(), "powers of two up to the canvas, and it");
    interact(() -> counts.setText("8, 1"));
    clickOn("#stepsCurveRun");
    WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS,
        () -> curve.model().rowsProperty().get() != null);
    WaitForAsyncUtils.waitForFxEvents();
    var rows = curve.model().rowsProperty().get();
    assertEquals(List.of(1, 8), rows.stream().map(r -> ((Number) r.get("steps")).intValue())
        .toList(), "each step count once, in order");
    var exactCurve = curve.chart().series().stream()
        .filter(s -> s.getKey().equals("exact answers")).findFirst().orElseThrow();
    assertEquals(2, exactCurve.getItemCount());
    assertTrue(from(window).lookup("#stepsCurveStatus").queryAs(Label.class).getText()
        .contains("held-out prompts"));
    interact(() -> counts.setText("0,4"));
    clickOn("#stepsCurveRun");
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(errors.size() == 1 && errors.getFirst().contains("between 1 and 16"),
        errors.toString());
    errors.clear();
    interact(() -> window.getScene().getWindow().hide());
    // checkpoints side by side: the open model's folder is listed; evaluated into one table
    clickOn("#compareCheckpointsButton");
    var compareRoot = lookup("#compareWindow").queryAs(javafx.scene.layout.BorderPane.class);
    var compare = (dev.diffulab.ui.denoise.CompareWindow) compareRoot.getUserData();
    assertEquals(1, compare.checkpoints().size(), "the open model: " + compare.checkpoints());
    interact(() -> compare.run(8, 3));
    WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> compare.rowsProperty().get() != null);
    WaitForAsyncUtils.waitForFxEvents();
    var headings = compare.table().getColumns().stream().map(c -> c.getText()).toList();
    assertTrue(headings.containsAll(List.of("method", "params", "exact", "answers/s")),
        headings.toString());
    assertEquals(1, compare.table().getItems().size());
    assertEquals("masked", compare.table().getItems().getFirst().get("method"));
    interact(() -> compareRoot.getScene().getWindow().hide());
    // Masking with the question fixed: the slider noises the response only, up to all of it
    clickOn("#maskingTab");
    var masking = lookup("#maskingWorkspace").queryAs(
        dev.diffulab.ui.masking.MaskingWorkspaceView.class).model();
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> masking.modelProperty().get() != null
        && masking.modelProperty().get().answers());
    interact(() -> masking.setText("3 * 4 → 2 1 #### 2 1"));
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> masking.tokensProperty().get() != null
        && masking.tokensProperty().get().given() > 0);
    interact(() -> masking.setRatio(1.0));
    var t = masking.tokensProperty().get();
    assertEquals(4, t.given(), "3 * 4 and its separator");
    boolean[] mask = masking.maskProperty().get();
    for (int i = 0; i < mask.length; i++) {
      assertEquals(i >= t.given(), mask[i], "position " + i + " at 100 %");
    }
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> masking.predictionProperty().get() != null);
    assertEquals(List.of(), errors);
  }
}
