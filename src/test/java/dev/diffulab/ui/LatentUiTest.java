package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.Method;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.denoise.DenoiseWorkspaceView;
import dev.diffulab.ui.masking.MaskingWorkspaceView;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Latent text diffusion as a person meets it: Method → Latent diffusion, Quick test — first the
 * autoencoder's reconstruction on the quality chart, then the denoiser's; Noising, where a
 * story's latent is noised and what the denoiser restores is decoded, every token; Denoise,
 * where a DDIM run is scrubbed step by step, each step the text its x̂₀ decodes to.
 */
class LatentUiTest extends AppUiTest {
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void tinyLatentRun() throws Exception {
    useQuickTest("diffulab.quickTestConfigLatent", "latent", """
        {"name": "latent", "method": "latent", "device": "cpu", "seed": 2,
         "model": {"d_model": 48, "layers": 1, "heads": 4, "ffn": 96, "seq_len": 64},
         "data": {"tinytales_stories": 300, "validation_fraction": 0.1},
         "train": {"steps": 500, "batch_size": 16, "learning_rate": 0.003, "warmup_steps": 10,
                   "eval_every": 100, "sample_every": 100, "log_every": 10,
                   "preview_samples": 2},
         "sampler": {"steps": 8},
         "autoencoder": {"latents": 8, "latent_dim": 16, "latent_noise": 0.1,
                         "first_steps": 300, "diffusion_steps": 200}}
        """);
  }

  @AfterAll
  static void clear() {
    clearQuickTest("diffulab.quickTestConfigLatent");
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
  void itTrainsInTwoStagesRestoresNoisedLatentsAndScrubsADdimRun() throws Exception {
    clickOn("#trainTab");
    var train = lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class).model();
    ChoiceBox<Method> method = lookup("#methodChoice").queryAs(ChoiceBox.class);
    interact(() -> method.setValue(Method.LATENT));
    assertEquals("latent", train.config().value("method").get());
    LiveLineChart samples = lookup("#samplesChart").queryAs(LiveLineChart.class);
    clickOn("#quickTestButton");
    try {
      WaitForAsyncUtils.waitFor(240, TimeUnit.SECONDS, () -> !train.runningProperty().get()
          && samples.series().stream().anyMatch(s -> String.valueOf(s.getKey())
              .equals("texts back exactly") && s.getItemCount() >= 3));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no reconstruction points in 240 s: running "
          + train.runningProperty().get() + ", step '" + train.stepTextProperty().get()
          + "', series " + samples.series().stream().map(s -> s.getKey() + "="
              + s.getItemCount()).toList()
          + ", errors " + errors, e);
    }
    // the autoencoder's stage measured reconstruction; the denoiser's, stories by the validator
    assertTrue(samples.series().stream().anyMatch(s -> String.valueOf(s.getKey())
        .toLowerCase().contains("valid") && s.getItemCount() >= 1),
        "the denoiser's samples graded: " + samples.series().stream().map(s -> s.getKey()
            + "=" + s.getItemCount()).toList());
    assertTrue(errors.isEmpty(), errors.toString());

    clickOn("#maskingTab");
    MaskingWorkspaceView masking = lookup("#maskingWorkspace")
        .queryAs(MaskingWorkspaceView.class);
    Slider slider = lookup("#maskSlider").queryAs(Slider.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
        () -> masking.model().predictionProperty().get() != null);
    assertEquals("Latent noise", lookup("#levelNameLabel").queryAs(Label.class).getText());
    double low = accuracyAt(masking, slider, 0.1);
    var p = masking.model().predictionProperty().get();
    for (int i = 0; i < p.topTokens().length; i++) {
      assertTrue(p.topTokens()[i].length > 0, "every token is restored, not " + i);
    }
    double high = accuracyAt(masking, slider, 1.0);
    System.out.println("latent UI: tokens restored at 10 % noise " + low + ", all noise "
        + high);
    assertTrue(low > high, "restored from 10 % noise " + low + ", from all noise " + high);
    var curve = lookup("#modelCurveChart").queryAs(LiveLineChart.class).series().getFirst();
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> curve.getItemCount() == 10);

    clickOn("#denoiseTab");
    DenoiseWorkspaceView denoise = lookup("#denoiseWorkspace")
        .queryAs(DenoiseWorkspaceView.class);
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
        () -> denoise.model().modelProperty().get() != null);
    Spinner<Integer> spinner = lookup("#stepsSpinner").queryAs(Spinner.class);
    interact(() -> spinner.getValueFactory().setValue(6));
    // DDIM's η, offered for a latent model (the token rules are not): DDPM's noise for this run
    Spinner<Double> eta = lookup("#etaSpinner").queryAs(Spinner.class);
    assertTrue(eta.getParent().isVisible() && !eta.isDisabled(), "η offered for a latent model");
    assertTrue(lookup("#temperatureSpinner").query().isDisabled());
    Spinner<Double> noise = lookup("#noiseTemperatureSpinner").queryAs(Spinner.class);
    assertTrue(noise.getParent().isVisible(), "and the scale of its noise");
    interact(() -> {
      eta.getValueFactory().setValue(1.0);
      noise.getValueFactory().setValue(0.8);
    });
    clickOn("#generateButton");
    Label step = from(lookup("#denoiseWorkspace")).lookup("#stepLabel").queryAs(Label.class);
    try {
      WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
          () -> step.getText().equals("step 6 / 6"));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the run did not end at step 6 of 6: '" + step.getText()
          + "', busy " + denoise.model().busyProperty().get() + ", progress '"
          + denoise.model().progressProperty().get() + "', errors " + errors, e);
    }
    List<DenoiseTrace> traces = denoise.model().tracesAProperty().get();
    DenoiseTrace t = traces.getFirst();
    assertEquals(6, t.stepCount(), "a decoded text for every DDIM step");
    assertTrue(t.settings().contains("η 1, noise temperature 0.8;"),
        "sampled with the η and noise temperature set: " + t.settings());
    boolean changed = false;
    for (TraceStep s : t.steps()) {
      for (TokenState state : s.states()) {
        changed |= state == TokenState.CHANGED;
        assertTrue(state == TokenState.CHANGED || state == TokenState.KEPT, state.name());
      }
    }
    assertTrue(changed || t.steps().stream().map(s -> java.util.Arrays.toString(s.tokens()))
        .distinct().count() == 1, "a token that differs from the step before is marked");
    assertTrue(errors.isEmpty(), errors.toString());
  }
}
