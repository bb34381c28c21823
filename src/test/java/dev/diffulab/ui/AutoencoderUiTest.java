package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.Method;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.masking.MaskingWorkspaceView;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The text autoencoder as a person meets it: Method → Text autoencoder, Quick test, the share of
 * held-out texts and tokens written back on the quality chart as it trains; then Noising, where
 * the whole text is written back from its latent and comes back worse as the noise grows.
 */
class AutoencoderUiTest extends AppUiTest {
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void tinyAutoencoder() throws Exception {
    useQuickTest("diffulab.quickTestConfigAutoencoder", "autoencoder", """
        {"name": "ae", "method": "autoencoder", "device": "cpu", "seed": 2,
         "model": {"d_model": 48, "layers": 1, "heads": 4, "ffn": 96, "seq_len": 64},
         "data": {"tinytales_stories": 300, "validation_fraction": 0.1},
         "train": {"steps": 400, "batch_size": 16, "learning_rate": 0.003, "warmup_steps": 10,
                   "eval_every": 100, "sample_every": 100, "log_every": 10},
         "autoencoder": {"latents": 8, "latent_dim": 16, "latent_noise": 0.1}}
        """);
  }

  @AfterAll
  static void clear() {
    clearQuickTest("diffulab.quickTestConfigAutoencoder");
  }

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  private double accuracyAt(MaskingWorkspaceView view, Slider slider, double value)
      throws Exception {
    interact(() -> slider.setValue(value));
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
      var p = view.model().predictionProperty().get();
      return p != null && Math.abs(p.ratio() - value) < 1e-9;
    });
    return view.model().predictionProperty().get().accuracy();
  }

  @Test
  @SuppressWarnings("unchecked")
  void itTrainsWithItsReconstructionAndTheNoisedLatentWritesTheTextBack() throws Exception {
    clickOn("#trainTab");
    var train = lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class).model();
    ChoiceBox<Method> method = lookup("#methodChoice").queryAs(ChoiceBox.class);
    interact(() -> method.setValue(Method.AUTOENCODER));
    assertEquals("autoencoder", train.config().value("method").get());
    LiveLineChart samples = lookup("#samplesChart").queryAs(LiveLineChart.class);
    clickOn("#quickTestButton");
    try {
      WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> !train.runningProperty().get()
          && samples.series().stream().anyMatch(s -> String.valueOf(s.getKey())
              .equals("texts back exactly") && s.getItemCount() >= 3));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no 3 reconstruction points in 180 s: running "
          + train.runningProperty().get() + ", step '" + train.stepTextProperty().get()
          + "', series " + samples.series().stream().map(s -> s.getKey() + "="
              + s.getItemCount()).toList()
          + ", errors " + errors, e);
    }
    assertTrue(samples.series().stream().anyMatch(s -> s.getKey().equals("tokens back right")
        && s.getItemCount() >= 3), "tokens written back right, at every evaluation");
    assertTrue(errors.isEmpty(), errors.toString());
    // the latest preview lists held-out texts as written back, each marked exact or changed
    ListView<?> list = lookup("#samplesList").queryAs(ListView.class);
    assertFalse(list.getItems().isEmpty(), "the preview's texts are listed");
    for (Object o : list.getItems()) {
      var row = (dev.diffulab.ui.train.RunCurves.SampleRow) o;
      assertEquals(dev.diffulab.core.snapshot.SamplePreview.Kind.RECONSTRUCTIONS, row.kind());
    }
    List<String> shown = lookup("#samplesList .list-cell").queryAll().stream()
        .map(n -> ((javafx.scene.control.ListCell<?>) n).getText())
        .filter(java.util.Objects::nonNull).toList();
    assertFalse(shown.isEmpty(), "cells drawn");
    assertTrue(shown.stream().allMatch(t -> t.startsWith("✔ exact  ")
        || t.startsWith("✘ changed  ")), shown.toString());

    clickOn("#maskingTab");
    MaskingWorkspaceView view = lookup("#maskingWorkspace").queryAs(MaskingWorkspaceView.class);
    Slider slider = lookup("#maskSlider").queryAs(Slider.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> view.model().predictionProperty().get() != null);
    assertEquals("Latent noise", lookup("#levelNameLabel").queryAs(Label.class).getText(),
        "the slider says what it sets for this family");
    double low = accuracyAt(view, slider, 0.1);
    String count = lookup("#maskedCountLabel").queryAs(Label.class).getText();
    assertTrue(count.contains("written back"), count);
    var p = view.model().predictionProperty().get();
    for (int i = 0; i < p.topTokens().length; i++) {
      assertTrue(p.topTokens()[i].length > 0, "every token is written back, not " + i);
    }
    double high = accuracyAt(view, slider, 1.0);
    assertTrue(low >= 0 && high >= 0);
    // the model's loss at each level, over held-out texts: meaning is lost as the noise grows
    var curve = lookup("#modelCurveChart").queryAs(LiveLineChart.class).series().getFirst();
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> curve.getItemCount() == 10);
    double clean = curve.getY(0).doubleValue();
    double noise = curve.getY(9).doubleValue();
    System.out.println("AE UI: loss at 10 % noise " + clean + ", all noise " + noise);
    assertTrue(noise > clean + 0.1, "reconstruction loss at 10 % noise " + clean
        + ", all noise " + noise);
    assertTrue(errors.isEmpty(), errors.toString());
  }
}
