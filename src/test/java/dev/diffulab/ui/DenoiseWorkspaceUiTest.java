package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.denoise.DenoiseWorkspaceView;
import dev.diffulab.ui.denoise.FrontierWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

class DenoiseWorkspaceUiTest extends AppUiTest {
  private static Path checkpoint;
  private static Path cdcdCheckpoint;
  private static Path dir;
  private DenoiseWorkspaceView view;
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void trainATinyModel() throws Exception {
    dir = Files.createTempDirectory("diffulab-denoise");
    checkpoint = TinyModels.train(dir, """
        {"name": "denoise-tiny", "method": "masked", "device": "cpu", "seed": 5,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300},
         "train": {"steps": 60, "batch_size": 8, "eval_every": 0, "sample_every": 0}}
        """);
    cdcdCheckpoint = TinyModels.train(Files.createTempDirectory("diffulab-denoise-cdcd"), """
        {"name": "denoise-cdcd", "method": "cdcd", "device": "cpu", "seed": 5,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300},
         "train": {"steps": 60, "batch_size": 8, "eval_every": 0, "sample_every": 0},
         "cdcd": {"refit_every": 10}}
        """);
  }

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  private Label stepLabel() {
    return from(lookup("#denoiseWorkspace")).lookup("#stepLabel").queryAs(Label.class);
  }

  private void generate(int steps, boolean compare) throws Exception {
    app.session().openCheckpoint(checkpoint).get(60, TimeUnit.SECONDS);
    clickOn("#denoiseTab");
    view = lookup("#denoiseWorkspace").queryAs(DenoiseWorkspaceView.class);
    if (view.model().tracesAProperty().get() == null) {
      assertTrue(!lookup("#resampleHint").query().isVisible(),
          "no re-run hint before anything was generated");
    }
    assertTrue(!lookup("#etaSpinner").query().getParent().isVisible(),
        "DDIM's η is a latent model's setting, not shown for a masked one");
    Spinner<Integer> spinner = lookup("#stepsSpinner").queryAs(Spinner.class);
    interact(() -> {
      spinner.getValueFactory().setValue(steps);
      lookup("#compareToggle").queryAs(CheckBox.class).setSelected(compare);
    });
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
        () -> view.model().modelProperty().get() != null);
    clickOn("#generateButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> stepLabel().getText().equals("step " + steps + " / " + steps));
  }

  @Test
  void theFrontierOfTheOpenModelIsMeasuredDrawnAndExported() throws Exception {
    app.session().openCheckpoint(checkpoint).get(60, TimeUnit.SECONDS);
    clickOn("#denoiseTab");
    view = lookup("#denoiseWorkspace").queryAs(DenoiseWorkspaceView.class);
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
        () -> view.model().modelProperty().get() != null);
    clickOn("#frontierButton");
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
        () -> lookup("#frontierWindow").tryQuery().isPresent());
    javafx.scene.control.TextField grid = lookup("#frontierGrid")
        .queryAs(javafx.scene.control.TextField.class);
    assertTrue(grid.getPromptText().contains("remasking="), "the family's own grid is offered");
    Spinner<Integer> samples = lookup("#frontierSamples").queryAs(Spinner.class);
    // a grid with a key no sampler has is refused naming it; the window stays usable
    interact(() -> grid.setText("warmth=1"));
    clickOn("#frontierRun");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> errors.stream()
        .anyMatch(e -> e.contains("warmth")));
    interact(() -> {
      grid.setText("temperature=0.7,1.3;remasking=random,low-confidence");
      samples.getValueFactory().setValue(4);
    });
    clickOn("#frontierRun");
    javafx.scene.control.TableView<FrontierWindow.Row> table = lookup("#frontierTable")
        .queryAs(javafx.scene.control.TableView.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> table.getItems().size() == 4);
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(table.getItems().stream().anyMatch(r -> r.front().equals("●")), "a front");
    assertEquals("temperature=0.7 remasking=random", table.getItems().getFirst().setting());
    org.jfree.chart.fx.ChartViewer chart = lookup("#frontierChart")
        .queryAs(org.jfree.chart.fx.ChartViewer.class);
    assertEquals(4, chart.getChart().getXYPlot().getDataset().getItemCount(0),
        "every setting is a point");
    assertTrue(lookup("#frontierStatus").queryAs(Label.class).getText()
        .startsWith("4 settings, 4 samples each, seed 7"));
    FrontierWindow w = (FrontierWindow) lookup("#frontierWindow").query().getUserData();
    Path csv = dir.resolve("front.csv");
    Path png = dir.resolve("front.png");
    interact(() -> {
      try {
        w.model().exportCsv(csv, png);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertEquals(5, Files.readAllLines(csv).size(), "a header and four settings");
    assertTrue(javax.imageio.ImageIO.read(png.toFile()).getWidth() > 0);
    // a long sweep is cancelled, and says so
    interact(() -> {
      grid.setText("temperature=0.5,0.6,0.7,0.8,0.9,1,1.1,1.2");
      samples.getValueFactory().setValue(64);
    });
    clickOn("#frontierRun");
    clickOn("#frontierCancel");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> lookup("#frontierStatus")
        .queryAs(Label.class).getText().equals("cancelled"));
  }

  /** What the chips must show at a step: the token, or [MASK] where masked. */
  private static List<String> expected(DenoiseTrace t, int s) {
    TraceStep step = t.steps().get(s);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < step.tokens().length; i++) {
      TokenState st = step.states()[i];
      // CDCD's step 0 shows the token nearest the noise rather than a mask
      boolean hidden = st == TokenState.REMASKED
          || (st == TokenState.MASKED && !t.method().equals("cdcd"));
      out.add(hidden ? "[MASK]" : t.vocab().get(step.tokens()[i]));
    }
    return out;
  }

  @Test
  void generateGivesKPlusOneStatesTheScrubberShowsEachAndTheKeysMoveIt() throws Exception {
    generate(12, false);
    Spinner<Double> temperature = lookup("#temperatureSpinner").queryAs(Spinner.class);
    interact(() -> temperature.getValueFactory().setValue(1.2));
    assertTrue(lookup("#resampleHint").query().isVisible(), "the hint after a change");
    interact(() -> temperature.getValueFactory().setValue(0.8));
    DenoiseTrace trace = view.model().current(false);
    assertEquals(13, trace.steps().size());
    Slider scrubber = lookup("#stepScrubber").queryAs(Slider.class);
    assertEquals(12, scrubber.getMax());
    for (int s = 0; s <= 12; s++) {
      int k = s;
      interact(() -> scrubber.setValue(k));
      assertEquals("step " + s + " / 12", stepLabel().getText());
      assertEquals(expected(trace, s), view.chips(false).texts(), "step " + s);
    }
    clickOn(scrubber);
    type(KeyCode.HOME);
    assertEquals(0, view.model().stepProperty().get());
    type(KeyCode.RIGHT);
    assertEquals(1, view.model().stepProperty().get());
    press(KeyCode.SHIFT).type(KeyCode.RIGHT).release(KeyCode.SHIFT);
    assertEquals(11, view.model().stepProperty().get());
    type(KeyCode.END);
    assertEquals(12, view.model().stepProperty().get());
    press(KeyCode.SHIFT).type(KeyCode.LEFT).release(KeyCode.SHIFT);
    assertEquals(2, view.model().stepProperty().get());
    type(KeyCode.LEFT);
    assertEquals(1, view.model().stepProperty().get());
    assertTrue(lookup("#verdictLabel").queryAs(Label.class).getText().contains("TinyTales"));
    assertEquals(List.of(), errors);
  }

  @Test
  void minPChosenInTheWindowIsWhatTheRunDraws() throws Exception {
    app.session().openCheckpoint(checkpoint).get(60, TimeUnit.SECONDS);
    clickOn("#denoiseTab");
    @SuppressWarnings("unchecked")
    javafx.scene.control.ChoiceBox<String> sampling = lookup("#tokenChoice")
        .queryAs(javafx.scene.control.ChoiceBox.class);
    Spinner<Double> minP = lookup("#minPSpinner").queryAs(Spinner.class);
    assertTrue(sampling.getItems().contains("min-p"));
    interact(() -> {
      sampling.setValue("min-p");
      minP.getValueFactory().setValue(0.3);
    });
    generate(8, false);
    DenoiseTrace t = view.model().current(false);
    assertTrue(t.settings().contains("min-p 0.3"), t.settings());
    assertEquals(List.of(), errors);
  }

  @Test
  void blocksAreALowConfidenceSettingThatFillsTheTextLeftToRight() throws Exception {
    app.session().openCheckpoint(checkpoint).get(60, TimeUnit.SECONDS);
    clickOn("#denoiseTab");
    Spinner<Integer> blocks = lookup("#blocksSpinner").queryAs(Spinner.class);
    @SuppressWarnings("unchecked")
    javafx.scene.control.ChoiceBox<String> remasking = lookup("#remaskingChoice")
        .queryAs(javafx.scene.control.ChoiceBox.class);
    interact(() -> remasking.setValue("ancestral"));
    assertTrue(blocks.isDisabled(), "blocks order low-confidence unmasking only");
    interact(() -> {
      remasking.setValue("low-confidence");
      blocks.getValueFactory().setValue(3);
    });
    assertTrue(!blocks.isDisabled());
    generate(12, false);
    DenoiseTrace t = view.model().current(false);
    assertTrue(t.settings().contains("in 3 blocks"), t.settings());
    // while no more than a third is written, every written token stands in the first third
    int len = t.steps().getFirst().tokens().length - t.prefixLength();
    int firstBlockEnd = t.prefixLength() + (len + 2) / 3;
    int checked = 0;
    for (TraceStep st : t.steps()) {
      long written = java.util.Arrays.stream(st.states())
          .filter(x -> x != TokenState.MASKED && x != TokenState.GIVEN).count();
      if (written == 0 || written > len / 3) {
        continue;
      }
      checked++;
      for (int i = firstBlockEnd; i < st.tokens().length; i++) {
        assertEquals(TokenState.MASKED, st.states()[i], "position " + i + " at step "
            + st.step());
      }
    }
    assertTrue(checked > 0, "no step wrote between one token and a third of the text");
  }

  @Test
  void aMaskedAndACdcdModelCompareWithTheSameSeedInLockStep() throws Exception {
    app.session().openCompareCheckpoint(cdcdCheckpoint).get(60, TimeUnit.SECONDS);
    interact(() -> {
      lookup("#compareToggle").queryAs(CheckBox.class).setSelected(true);
      lookup("#compareModelToggle").queryAs(CheckBox.class).setSelected(true);
    });
    generate(10, true);
    DenoiseTrace a = view.model().current(false);
    DenoiseTrace b = view.model().current(true);
    assertEquals("masked", a.method());
    assertEquals("cdcd", b.method());
    assertEquals(a.seed(), b.seed());
    Slider scrubber = lookup("#stepScrubber").queryAs(Slider.class);
    for (int s : new int[]{0, 4, 10, 2}) {
      interact(() -> scrubber.setValue(s));
      assertEquals(expected(a, s), view.chips(false).texts());
      assertEquals(expected(b, s), view.chips(true).texts(), "B is not at step " + s);
    }
    assertEquals(List.of(), errors);
  }

  @Test
  void comparisonViewsStayInLockStepAndTheGifHasEveryStep() throws Exception {
    generate(10, true);
    DenoiseTrace a = view.model().current(false);
    DenoiseTrace b = view.model().current(true);
    assertTrue(!a.settings().equals(b.settings()));
    Slider scrubber = lookup("#stepScrubber").queryAs(Slider.class);
    for (int s : new int[]{0, 3, 7, 10, 5}) {
      interact(() -> scrubber.setValue(s));
      assertEquals(expected(a, s), view.chips(false).texts());
      assertEquals(expected(b, s), view.chips(true).texts(), "B is not at step " + s);
    }
    Path gif = dir.resolve("run.gif");
    interact(() -> {
      try {
        view.writeGif(gif);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      reader.setInput(in);
      assertEquals("gif", reader.getFormatName().toLowerCase());
      assertEquals(11, reader.getNumImages(true));
      assertTrue(reader.read(10).getWidth() > 50);
    }
    assertEquals(List.of(), errors);
  }
}
