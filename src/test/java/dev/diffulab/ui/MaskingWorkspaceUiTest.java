package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.masking.MaskingWorkspaceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

class MaskingWorkspaceUiTest extends AppUiTest {
  private static Path checkpoint;
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void trainATinyModel() throws Exception {
    Path dir = Files.createTempDirectory("diffulab-mask");
    checkpoint = TinyModels.train(dir, """
        {"name": "mask-tiny", "method": "masked", "device": "cpu", "seed": 4,
         "model": {"d_model": 48, "layers": 1, "heads": 4, "ffn": 96, "seq_len": 96},
         "data": {"tinytales_stories": 400},
         "train": {"steps": 150, "batch_size": 16, "learning_rate": 0.004, "warmup_steps": 10,
                   "eval_every": 0, "sample_every": 0}}
        """);
    Path quick = dir.resolve("quick.json");
    Files.writeString(quick, """
        {"name": "busy", "method": "masked", "device": "cpu", "seed": 2,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300},
         "train": {"steps": 100000, "batch_size": 8, "eval_every": 0, "sample_every": 0}}
        """);
    System.setProperty("diffulab.quickTestConfig", quick.toString());
    System.setProperty("diffulab.runsDir", dir.resolve("runs").toString());
  }

  @AfterAll
  static void clearProperties() {
    System.clearProperty("diffulab.quickTestConfig");
    System.clearProperty("diffulab.runsDir");
  }

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  private int[] count() {
    Matcher m = Pattern.compile("(\\d+) / (\\d+) tokens masked")
        .matcher(lookup("#maskedCountLabel").queryAs(Label.class).getText());
    return m.find()
        ? new int[]{Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))}
        : new int[]{-1, -1};
  }

  private boolean[] chipsMasked() {
    List<Node> visible = lookup("#tokenView").queryAs(FlowPane.class).getChildren().stream()
        .filter(Node::isVisible).toList();
    boolean[] masked = new boolean[visible.size()];
    for (int i = 0; i < masked.length; i++) {
      var style = visible.get(i).getStyleClass();
      masked[i] = style.contains("chip-masked") || style.contains("chip-predicted");
    }
    return masked;
  }

  @Test
  void sliderRaisesTheMaskedCountMonotonicallyKeepsThePrefixAndSeedsRepeat() throws Exception {
    clickOn("#maskingTab");
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> count()[1] > 0);
    Spinner<?> prefix = lookup("#prefixSpinner").queryAs(Spinner.class);
    interact(() -> prefix.getValueFactory().setValue(cast(3)));
    Slider slider = lookup("#maskSlider").queryAs(Slider.class);
    int previous = -1;
    for (int pct = 10; pct <= 100; pct += 5) {
      double r = pct / 100.0;
      interact(() -> slider.setValue(r));
      int[] c = count();
      assertTrue(c[0] >= previous, "masked count fell at " + pct + "%");
      assertTrue(Math.abs(c[0] - Math.round(r * c[1])) <= 1, pct + "%: " + c[0] + " of " + c[1]);
      boolean[] masked = chipsMasked();
      for (int i = 0; i < 3; i++) {
        assertTrue(!masked[i], "prefix token " + i + " masked at " + pct + "%");
      }
      previous = c[0];
    }
    TextField seed = lookup("#seedField").queryAs(TextField.class);
    interact(() -> slider.setValue(0.5));
    interact(() -> seed.setText("77"));
    boolean[] first = chipsMasked();
    clickOn("#rerollButton");
    interact(() -> seed.setText("77"));
    assertArrayEquals(first, chipsMasked(), "same seed, same mask");
    assertEquals(List.of(), errors);
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  @Test
  void withATrainedModelMaskedChipsShowPredictionsAndTheAccuracyLine() throws Exception {
    clickOn("#maskingTab");
    app.session().openCheckpoint(checkpoint);
    Label accuracy = lookup("#accuracyLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
        () -> accuracy.getText().matches("reconstruction accuracy at this ratio: \\d+ %"));
    FlowPane chips = lookup("#tokenView").queryAs(FlowPane.class);
    Node predicted = chips.getChildren().stream()
        .filter(n -> n.getStyleClass().contains("chip-predicted")).findFirst().orElseThrow();
    clickOn(predicted);
    // the model's loss-versus-ratio curve: ten measured points, rising toward 100 % masked
    var curve = lookup("#modelCurveChart").queryAs(dev.diffulab.ui.chart.LiveLineChart.class)
        .series().get(0);
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> curve.getItemCount() == 10);
    assertTrue(curve.getY(9).doubleValue() > curve.getY(0).doubleValue(),
        "loss at 100 % masked should exceed loss at 10 %");
    String candidates = lookup("#candidatesLabel").queryAs(Label.class).getText();
    assertTrue(candidates.contains("1. ") && candidates.contains("5. "), candidates);
    assertEquals(List.of(), errors);
  }

  @Test
  void draggingTheSliderDuringTrainingEndsOnThePredictionForTheFinalValue() throws Exception {
    app.session().openCheckpoint(checkpoint);
    clickOn("#quickTestButton");
    Label step = from(lookup("#trainWorkspace")).lookup("#stepLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
        () -> step.getText().matches("Step \\d\\d+.*"));
    clickOn("#maskingTab");
    MaskingWorkspaceView view = lookup("#maskingWorkspace").queryAs(MaskingWorkspaceView.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> view.model().predictionProperty().get() != null);
    Slider slider = lookup("#maskSlider").queryAs(Slider.class);
    drag(slider.lookup(".thumb")).moveBy(60, 0).moveBy(80, 0).moveBy(-30, 0).moveBy(120, 0)
        .release(javafx.scene.input.MouseButton.PRIMARY);
    double finalValue = slider.getValue();
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
      var p = view.model().predictionProperty().get();
      return p != null && Math.abs(p.ratio() - finalValue) < 1e-9;
    });
    assertTrue(step.getText().matches("Step \\d+.*"));
    clickOn("#trainTab");
    clickOn("#stopButton");
    assertEquals(List.of(), errors);
  }
}
