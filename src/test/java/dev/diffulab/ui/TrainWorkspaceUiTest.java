package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.cli.DiffuLabCli;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

class TrainWorkspaceUiTest extends AppUiTest {
  private static Path runs;

  @BeforeAll
  static void tinyQuickTest() throws Exception {
    Path dir = Files.createTempDirectory("diffulab-ui");
    runs = dir.resolve("runs");
    Path config = dir.resolve("quick.json");
    Files.writeString(config, """
        {"name": "ui-quick", "method": "masked", "device": "cpu", "seed": 2,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300},
         "train": {"steps": 100000, "batch_size": 8, "learning_rate": 0.003, "warmup_steps": 5,
                   "log_every": 5, "eval_every": 0, "sample_every": 10, "preview_samples": 3},
         "sampler": {"steps": 8}}
        """);
    System.setProperty("diffulab.quickTestConfig", config.toString());
    Path cdcd = dir.resolve("quick-cdcd.json");
    Files.writeString(cdcd, """
        {"name": "ui-cdcd", "method": "cdcd", "device": "cpu", "seed": 2,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300},
         "train": {"steps": 100000, "batch_size": 16, "learning_rate": 0.003, "warmup_steps": 5,
                   "log_every": 5, "eval_every": 0, "sample_every": 0},
         "cdcd": {"refit_every": 5, "warp_window": 2000}}
        """);
    System.setProperty("diffulab.quickTestConfigCdcd", cdcd.toString());
    System.setProperty("diffulab.runsDir", runs.toString());
  }

  @AfterAll
  static void clearProperties() {
    System.clearProperty("diffulab.quickTestConfig");
    System.clearProperty("diffulab.quickTestConfigCdcd");
    System.clearProperty("diffulab.runsDir");
  }

  @Test
  void quittingWhileTrainingAsksFirstThenStopsAndKeepsTheCheckpoint() throws Exception {
    long before = checkpoints();
    clickOn("#quickTestButton");
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> step() >= 5);
    clickOn("#pauseButton");
    Runnable closeRequest = () -> stage.fireEvent(new javafx.stage.WindowEvent(stage,
        javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
    interact(closeRequest);
    clickOn("Keep training");
    TrainWorkspaceView view = lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class);
    assertTrue(stage.isShowing() && view.model().runningProperty().get(),
        "keeping it changes nothing");
    interact(closeRequest);
    clickOn("#stopAndQuitButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !stage.isShowing());
    assertEquals(before + 1, checkpoints(), "the stopped run's checkpoint was written");
  }

  private static long checkpoints() throws java.io.IOException {
    if (!Files.isDirectory(runs)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.filter(p -> Files.exists(p.resolve("manifest.json"))).count();
    }
  }

  private int step() {
    String t = from(lookup("#trainWorkspace")).lookup("#stepLabel").queryAs(Label.class).getText(); // "Step 12 / 100000"
    String n = t.replaceAll("Step (\\S+) /.*", "$1");
    return n.equals("–") ? -1 : Integer.parseInt(n);
  }

  @Test
  void aCdcdQuickTestDrawsTheEntropyCurveWithItsFit() throws Exception {
    interact(() -> lookup("#methodChoice").queryAs(javafx.scene.control.ChoiceBox.class)
        .setValue(dev.diffulab.core.config.Method.CDCD));
    clickOn("#quickTestButton");
    dev.diffulab.ui.chart.EntropyCurveChart chart = lookup("#entropyCurveChart")
        .queryAs(dev.diffulab.ui.chart.EntropyCurveChart.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
        () -> chart.isVisible() && chart.pointCount() >= 100 && chart.fitKnots() > 10);
    // drawn, not only stored: the axes have re-ranged to the data (σ up to 100, CE above 1)
    var plot = chart.chart().getXYPlot();
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
        () -> plot.getDomainAxis().getUpperBound() > 10 && plot.getRangeAxis().getUpperBound() > 1);
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
        () -> lookup("#lossChart").queryAs(LiveLineChart.class).series().get(0)
            .getItemCount() > 5);
    clickOn("#stopButton");
    TrainWorkspaceView view = lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> !view.model().runningProperty().get());
    // export: both charts as PNG with their full size, every point of every series as CSV
    Path out = Files.createTempDirectory("diffulab-export");
    LiveLineChart lossChart = lookup("#lossChart").queryAs(LiveLineChart.class);
    long[] points = new long[2];
    // exported and counted in one go on the FX thread: a snapshot of the run still on its way
    // to the charts cannot land in between
    interact(() -> {
      try {
        view.exportCharts(out);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      points[0] = lossChart.series().stream().mapToLong(x -> x.getItemCount()).sum();
      points[1] = chart.series().stream().mapToLong(x -> x.getItemCount()).sum();
    });
    for (String png : List.of("loss.png", "entropy.png")) {
      var image = javax.imageio.ImageIO.read(out.resolve(png).toFile());
      assertEquals(1000, image.getWidth(), png);
    }
    assertEquals(points[0] + 1, Files.readAllLines(out.resolve("loss.csv")).size());
    assertEquals(points[1] + 1, Files.readAllLines(out.resolve("entropy.csv")).size());
    assertTrue(
        Files.readAllLines(out.resolve("entropy.csv")).get(1).startsWith("\"older points\""));
  }

  @Test
  void quickTestRunsPausesResumesAndStopsKeepingALoadableCheckpoint() throws Exception {
    clickOn("#quickTestButton");
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> step() >= 10);
    LiveLineChart loss = lookup("#lossChart").queryAs(LiveLineChart.class);
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
        () -> loss.series().get(0).getItemCount() >= 5);
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
        () -> loss.chart().getXYPlot().getRangeAxis().getUpperBound() > 1
            && loss.chart().getXYPlot().getDomainAxis().getUpperBound() >= 5);
    LiveLineChart levels = lookup("#ratioChart").queryAs(LiveLineChart.class);
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
        () -> levels.series().get(0).getItemCount() >= 3);
    // the preview samples: validity at every preview; a tiny model's stories are rarely valid,
    // so the worst attribute distance is drawn only when one is
    LiveLineChart samples = lookup("#samplesChart").queryAs(LiveLineChart.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> samples.series().get(0).getItemCount() >= 2);
    for (int i = 0; i < samples.series().get(0).getItemCount(); i++) {
      double v = samples.series().get(0).getY(i).doubleValue();
      assertTrue(v >= 0 && v <= 1, "valid fraction " + v);
    }
    assertEquals(samples.series().get(1).getItemCount(), samples.series().get(2).getItemCount(),
        "every distance drawn with its floor");

    clickOn("#pauseButton");
    Label stats = lookup("#trainStatsLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> stats.getText().startsWith("paused"));
    int paused = step();
    Thread.sleep(1500);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(paused, step(), "the step counter moved while paused");
    clickOn("#pauseButton");
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> step() > paused + 5);

    clickOn("#stopButton");
    TrainWorkspaceView view = lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> !view.model().runningProperty().get());
    try {
      WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
          () -> stats.getText().startsWith("stopped"));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the status after stopping: " + stats.getText(), e);
    }
    // moving the smoothing slider re-smooths the whole curve: at 0 it is the raw loss
    interact(() -> lookup("#smoothingSlider").queryAs(javafx.scene.control.Slider.class)
        .setValue(0));
    var raw = loss.series().get(0);
    var smoothed = loss.series().get(1);
    assertEquals(raw.getItemCount(), smoothed.getItemCount());
    for (int i = 0; i < raw.getItemCount(); i++) {
      assertEquals(raw.getY(i).doubleValue(), smoothed.getY(i).doubleValue(), 1e-9);
    }
    Path ckpt;
    try (Stream<Path> s = Files.list(runs)) {
      ckpt = s.filter(p -> p.getFileName().toString().startsWith("ui-quick-")).findFirst()
          .orElseThrow();
    }
    // the run is listed; selecting it makes it the model of Masking and Denoise; overlay draws it
    javafx.scene.control.ListView<?> runs = lookup("#runsList")
        .queryAs(javafx.scene.control.ListView.class);
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> runs.getItems().size() == 1);
    assertTrue(runs.getItems().get(0).toString().contains("ui-quick"));
    interact(() -> runs.getSelectionModel().select(0));
    Label maskModel = lookup("#maskModelLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> maskModel.getText().startsWith(
        "Model: ui-quick · masked diffusion"));
    clickOn("#overlayButton");
    LiveLineChart lossChart = lookup("#lossChart").queryAs(LiveLineChart.class);
    var overlaid = lossChart.series().get(2);
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> overlaid.getItemCount() > 10);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = DiffuLabCli.run(new PrintWriter(out), new PrintWriter(err), "generate",
        "--checkpoint", ckpt.toString(), "--num-samples", "1", "--steps", "4");
    assertEquals(0, code, err.toString());
    assertTrue(!out.toString().isBlank());
  }
}
