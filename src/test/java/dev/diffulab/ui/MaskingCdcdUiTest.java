package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.masking.MaskingWorkspaceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.layout.FlowPane;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** The Masking workspace with a CDCD model: the slider sets σ instead of a mask ratio. */
class MaskingCdcdUiTest extends AppUiTest {
  private static Path checkpoint;

  @BeforeAll
  static void trainATinyCdcdModel() throws Exception {
    Path dir = Files.createTempDirectory("diffulab-cdcd-mask");
    checkpoint = TinyModels.train(dir, """
        {"name": "cdcd-tiny", "method": "cdcd", "device": "cpu", "seed": 4,
         "model": {"d_model": 48, "layers": 2, "heads": 4, "ffn": 96, "seq_len": 96},
         "data": {"tinytales_stories": 500},
         "train": {"steps": 250, "batch_size": 32, "learning_rate": 0.003, "warmup_steps": 20,
                   "eval_every": 0, "sample_every": 0},
         "cdcd": {"sigma_min": 0.5, "sigma_max": 100, "refit_every": 20}}
        """);
  }

  private double accuracyAt(MaskingWorkspaceView view, Slider slider, double value)
      throws Exception {
    interact(() -> slider.setValue(value));
    double sigma = view.model().sigma();
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
      var p = view.model().predictionProperty().get();
      return p != null && Math.abs(p.ratio() - sigma) < 1e-9;
    });
    return view.model().predictionProperty().get().accuracy();
  }

  @Test
  void theSliderSetsSigmaAndTheModelRecoversTokensAtLowNoiseOnly() throws Exception {
    app.session().openCheckpoint(checkpoint).get(60, TimeUnit.SECONDS);
    clickOn("#maskingTab");
    MaskingWorkspaceView view = lookup("#maskingWorkspace").queryAs(MaskingWorkspaceView.class);
    Slider slider = lookup("#maskSlider").queryAs(Slider.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> view.model().predictionProperty().get() != null);
    double low = accuracyAt(view, slider, 0.1);
    assertEquals(0.5, view.model().sigma(), 1e-9);
    assertTrue(lookup("#maskedCountLabel").queryAs(Label.class).getText()
        .startsWith("σ = 0.50"));
    double high = accuracyAt(view, slider, 1.0);
    assertEquals(100.0, view.model().sigma(), 1e-6);
    assertTrue(low > 0.8 && high < 0.4, "accuracy at σ_min " + low + ", at σ_max " + high);
    boolean arrows = lookup("#tokenView").queryAs(FlowPane.class).getChildren().stream()
        .anyMatch(n -> ((Label) n).getText().contains("▸"));
    assertTrue(arrows, "no chip shows the nearest token next to the guess at σ_max");
    // the schedules plot shows the model's warped σ grid, from σ_max (1.0) down to σ_min (0.0)
    var grid = lookup("#schedulesChart").queryAs(dev.diffulab.ui.chart.LiveLineChart.class)
        .series().get(3);
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> grid.getItemCount() > 2);
    assertEquals(1.0, grid.getY(0).doubleValue(), 1e-6);
    assertEquals(0.0, grid.getY(grid.getItemCount() - 1).doubleValue(), 1e-6);
  }
}
