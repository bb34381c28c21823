package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.masking.MaskingWorkspaceView;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window as a new user first sees it — the shipped demo model open in Masking and Denoise,
 * listed in the Models menu — and Masking following a model while it trains.
 */
class DemoAndLiveModelUiTest extends AppUiTest {
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void tinyQuickTest() throws Exception {
    useTinyQuickTest("live", 100_000);
  }

  @AfterAll
  static void clearProperties() {
    clearTinyQuickTest();
    System.setProperty("diffulab.openDemo", "false");
  }

  @Override
  public void start(Stage stage) {
    System.setProperty("diffulab.openDemo", "true"); // as a person starts it
    super.start(stage);
  }

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  private static final String DEMO_LABEL = "Model: demo · masked diffusion";

  @Test
  void theDemoModelOpensAtFirstStartForMaskingAndDenoiseAndIsInTheModelsMenu() throws Exception {
    assertTrue(DemoModels.available().contains("demo"), "this build ships the demo model");
    clickOn("#maskingTab");
    Label model = lookup("#maskModelLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.getText().startsWith(
        DEMO_LABEL));
    assertTrue(model.getText().contains("% valid"), model.getText());
    Label accuracy = lookup("#accuracyLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> accuracy.getText().matches("reconstruction accuracy at this ratio: \\d+ %"));
    clickOn("#denoiseTab");
    assertTrue(lookup("#denoiseModelLabel").queryAs(Label.class).getText()
        .startsWith(DEMO_LABEL));
    clickOn("#generateButton");
    var denoise = lookup("#denoiseWorkspace").query();
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> lookup("#tokenViewA").tryQuery()
        .map(n -> !((javafx.scene.layout.Pane) n).getChildren().isEmpty()).orElse(false));
    assertTrue(denoise.isVisible());
    Menu models = (Menu) menuItem(stage, "modelsMenu");
    interact(() -> models.show());
    assertTrue(models.getItems().stream().anyMatch(i -> "demo-demo".equals(i.getId())),
        "the Models menu lists the demo");
    interact(() -> models.hide());
    assertEquals(List.of(), errors);
  }

  @Test
  void duringARunMaskingFollowsTheTrainingModelAndItsGuessesRefresh() throws Exception {
    clickOn("#maskingTab");
    Label model = lookup("#maskModelLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.getText().startsWith(
        DEMO_LABEL));
    CheckBox follow = lookup("#maskFollowCheck").queryAs(CheckBox.class);
    assertFalse(follow.isVisible(), "the toggle shows only while a run trains");
    var vm = lookup("#maskingWorkspace").queryAs(MaskingWorkspaceView.class).model();
    Set<Long> predictions = ConcurrentHashMap.newKeySet();
    interact(() -> vm.predictionProperty().addListener((o, a, p) -> {
      if (p != null && vm.modelChoice().followingRun()) {
        predictions.add(p.requestId());
      }
    }));
    clickOn("#trainTab");
    clickOn("#quickTestButton");
    clickOn("#maskingTab");
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
        () -> model.getText().matches("Model: training run · step [\\d,]+"));
    assertTrue(follow.isVisible() && follow.isSelected(), "following is on by default");
    // the same text and mask, guessed again every few seconds as the model trains
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> predictions.size() >= 3);
    MaskPrediction p = vm.predictionProperty().get();
    assertTrue(p != null && !Double.isNaN(p.accuracy()));
    interact(() -> follow.setSelected(false));
    assertTrue(model.getText().startsWith(DEMO_LABEL), model.getText());
    interact(() -> follow.setSelected(true));
    assertTrue(model.getText().startsWith("Model: training run"), model.getText());
    clickOn("#trainTab");
    clickOn("#stopButton");
    // the stopped run's checkpoint becomes the open model; following ends with the run
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> model.getText().startsWith(
        "Model: live · masked diffusion"));
    assertFalse(follow.isVisible());
    assertEquals(List.of(), errors);
  }
}
