package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.ModelSize;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.ui.train.RunHistory;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** The Train workspace's settings, corpus choosers, Train button and Full run offer. */
class TrainSettingsUiTest extends AppUiTest {
  private static Path dir;

  @BeforeAll
  static void tinyConfigs() throws Exception {
    dir = Files.createTempDirectory("diffulab-settings");
    Path quick = dir.resolve("quick.json");
    Files.writeString(quick, """
        {"name": "ui-quick", "method": "masked", "device": "cpu", "seed": 2,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300},
         "train": {"steps": 100000, "batch_size": 8, "learning_rate": 0.003, "warmup_steps": 5,
                   "log_every": 5, "eval_every": 0, "sample_every": 0}}
        """);
    Path full = dir.resolve("full.json");
    Files.writeString(full, """
        {"name": "ui-full", "method": "masked", "device": "cpu", "seed": 3,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300},
         "train": {"steps": 40, "batch_size": 8, "learning_rate": 0.003, "warmup_steps": 5,
                   "log_every": 5, "eval_every": 20, "sample_every": 0, "checkpoint_every": 20}}
        """);
    System.setProperty("diffulab.quickTestConfig", quick.toString());
    System.setProperty("diffulab.fullRunConfig", full.toString());
    System.setProperty("diffulab.runsDir", dir.resolve("runs").toString());
  }

  @AfterAll
  static void clearProperties() {
    System.clearProperty("diffulab.quickTestConfig");
    System.clearProperty("diffulab.fullRunConfig");
    System.clearProperty("diffulab.runsDir");
  }

  private TrainWorkspaceView view() {
    return lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class);
  }

  private void type(String id, String text) {
    clickOn(id).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(text);
  }

  private boolean invalid(String id) {
    return lookup(id).query().getStyleClass().contains("invalid");
  }

  @Test
  void aBadValueIsMarkedAtItsFieldAndTrainWaitsUntilItIsFixed() {
    Button train = lookup("#trainButton").queryButton();
    assertFalse(train.isDisabled());
    type("#config-train-learning_rate", "fast");
    assertTrue(invalid("#config-train-learning_rate"));
    assertTrue(train.isDisabled(), "Train cannot start a config with a bad field");
    Label problem = lookup("#configProblemLabel").queryAs(Label.class);
    assertEquals("train.learning_rate: expected a number, got \"fast\"", problem.getText());
    assertTrue(lookup("#config-train-learning_rate").queryAs(TextField.class).getTooltip()
        .getText().contains("expected a number"));
    // a field of the property sheet, and a rule between two fields
    clickOn("All settings");
    TextField topP = lookup("#config-sampler-top_p").queryAs(TextField.class);
    interact(() -> topP.setText("1.5"));
    assertTrue(invalid("#config-sampler-top_p"));
    assertFalse(invalid("#config-sampler-temperature"), "the other fields stay clean");
    assertTrue(problem.getText().endsWith("(and 1 more)"), problem.getText());
    type("#config-model-seq_len", "8");
    TextField prefix = lookup("#config-masking-prefix_tokens").queryAs(TextField.class);
    interact(() -> prefix.setText("10"));
    assertTrue(invalid("#config-masking-prefix_tokens"));
    assertTrue(prefix.getTooltip().getText().contains("must be below model.seq_len = 8"));

    type("#config-train-learning_rate", "0.002");
    interact(() -> {
      topP.setText("0.95");
      prefix.setText("0");
    });
    type("#config-model-seq_len", "64");
    assertFalse(invalid("#config-train-learning_rate"));
    assertFalse(invalid("#config-sampler-top_p"));
    assertFalse(train.isDisabled());
    assertEquals("", problem.getText());
    assertEquals(0.002, view().model().config().build().train().learningRate());
  }

  @Test
  void aSizePresetSetsTheBackboneAndSettingsSaveAndOpenAsConfigFiles() throws Exception {
    @SuppressWarnings("unchecked")
    ComboBox<ModelSize> size = lookup("#sizeChoice").queryAs(ComboBox.class);
    assertNull(size.getValue(), "the tiny test config is no preset: custom");
    interact(() -> size.setValue(ModelSize.SMALL));
    var config = view().model().config();
    clickOn("All settings");
    assertEquals("256", config.value("model.d_model").get());
    assertEquals("6", config.value("model.layers").get());
    assertEquals("256", lookup("#config-model-d_model").queryAs(TextField.class).getText(),
        "the property sheet shows the preset's numbers");
    interact(() -> lookup("#config-model-d_model").queryAs(TextField.class).setText("200"));
    assertNull(size.getValue(), "an edited width is custom again");
    type("#config-train-steps", "77");

    Path saved = dir.resolve("mine.json");
    interact(() -> view().saveConfig(saved));
    RunConfig back = RunConfig.load(saved);
    assertEquals(200, back.model().dModel());
    assertEquals(77, back.train().steps());
    assertEquals("mine.json", lookup("#configFileLabel").queryAs(Label.class).getText());

    interact(() -> view().openConfig(Path.of("sample-configs/full.json")));
    assertEquals("30000", lookup("#config-train-steps").queryAs(TextField.class).getText());
    assertEquals(ModelSize.FULL, size.getValue());
    Path broken = Files.writeString(dir.resolve("broken.json"), "{ \"train\": { \"steps\": ");
    interact(() -> view().openConfig(broken));
    Label status = lookup("#statusMessage").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> status.getText().contains("broken.json"));
    assertEquals("30000", lookup("#config-train-steps").queryAs(TextField.class).getText(),
        "a bad file changes nothing");
    interact(() -> view().openConfig(saved));
    assertEquals("77", lookup("#config-train-steps").queryAs(TextField.class).getText());
  }

  @Test
  void aChosenCorpusShowsItsStatisticsAndBecomesTheTrainCorpus() throws Exception {
    Label documents = lookup("#documentsLabel").queryAs(Label.class);
    // the embedded corpus at the settings' story count
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> documents.getText().equals("300"));
    Path corpus = Files.writeString(dir.resolve("three.txt"),
        "Tom had a red ball.\n\nMia saw a big dog. The dog ran.\n\nThe cat sat.\n");
    interact(() -> view().acceptFiles(List.of(corpus, Path.of("assets/tokenizer.json"))));
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> documents.getText().equals("3"));
    assertTrue(lookup("#corpusNameLabel").queryAs(Label.class).getText().contains("three.txt"));
    var config = view().model().config();
    assertEquals(corpus.toString(), config.build().data().corpus());
    assertEquals(Path.of("assets/tokenizer.json").toString(), config.build().data().tokenizer(),
        "a dropped tokenizer.json is taken as the tokenizer, not as a config");
    // a file that is not there is reported and the corpus stays
    interact(() -> config.useCorpus(dir.resolve("missing.txt")));
    Label status = lookup("#statusMessage").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> status.getText().contains("missing.txt"));
    clickOn("OK"); // the error dialog
    assertEquals(corpus.toString(), config.build().data().corpus());
    clickOn("#useTinyTalesButton");
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> documents.getText().equals("300"));
    assertEquals("tinytales", config.build().data().corpus());
    // the card follows the settings: a different story count is a different corpus
    clickOn("All settings");
    TextField stories = lookup("#config-data-tinytales_stories").queryAs(TextField.class);
    interact(() -> stories.setText("120"));
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> documents.getText().equals("120"));
  }

  @Test
  void trainRunsTheEditedSettings() throws Exception {
    type("#config-train-steps", "25");
    clickOn("#trainButton");
    ListView<?> runs = lookup("#runsList").queryAs(ListView.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> runs.getItems().size() == 1);
    String run = ((RunHistory.Run) runs.getItems().get(0)).describe();
    assertTrue(run.startsWith("ui-quick · masked · finished at 25"), run);
  }

  /** Shown in a window that is open: a closed dialog's button keeps its visible flag. */
  private static boolean onScreen(javafx.scene.Node n) {
    return n.isVisible() && n.getScene() != null && n.getScene().getWindow() != null
        && n.getScene().getWindow().isShowing();
  }

  @Test
  void fullRunSaysWhatItWillCostBeforeItStarts() throws Exception {
    clickOn("#fullRunButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> lookup("#startFullRunButton").match(TrainSettingsUiTest::onScreen).tryQuery()
            .isPresent());
    Label text = lookup("#fullRunText").queryAs(Label.class);
    assertTrue(text.getText().startsWith("ui-full: masked diffusion, 1 layers × 32 wide, batch 8,"
        + " 40 steps."), text.getText());
    assertTrue(text.getText().contains("on the CPU (measured over 3 steps"), text.getText());
    assertTrue(text.getText().contains("On a GPU the same run takes minutes"));
    type(KeyCode.ENTER); // Enter does not start hours of work: it cancels
    Label step = from(lookup("#trainWorkspace")).lookup("#stepLabel").queryAs(Label.class);
    assertEquals("Step – / –", step.getText(), "cancelled: nothing started");
    assertFalse(lookup("#fullRunButton").queryButton().isDisabled());

    clickOn("#fullRunButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> lookup("#startFullRunButton").match(TrainSettingsUiTest::onScreen).tryQuery()
            .isPresent());
    clickOn(lookup("#startFullRunButton").match(TrainSettingsUiTest::onScreen)
        .queryButton());
    ListView<?> runs = lookup("#runsList").queryAs(ListView.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> runs.getItems().size() == 1);
    String run = ((RunHistory.Run) runs.getItems().get(0)).describe();
    assertTrue(run.startsWith("ui-full · masked · finished at 40"), run);
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> step.getText().equals("Step 40 / 40"));
    // validation at steps 20 and 40: masked cross-entropy and the NELBO bound, in nats
    var lossChart = lookup("#lossChart").queryAs(dev.diffulab.ui.chart.LiveLineChart.class);
    var nelbo = lossChart.series().stream()
        .filter(x -> x.getKey().toString().startsWith("validation NELBO")).findFirst()
        .orElseThrow();
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> nelbo.getItemCount() == 2);
    assertEquals(40.0, nelbo.getX(1).doubleValue());
    assertTrue(nelbo.getY(1).doubleValue() > 0 && nelbo.getY(1).doubleValue() < 10);
  }
}
