package dev.diffulab.ui.denoise;

import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;

/**
 * One step of a recorded denoising run as token chips, coloured by state (masked, revealed at
 * this step, kept, re-masked, prompt) with the confidence of committed tokens as intensity; hover
 * shows the model's top five at that step. Chips are recycled between steps.
 */
public final class TraceChips extends FlowPane {
  public TraceChips(String id) {
    setId(id);
    setHgap(6);
    setVgap(6);
    setPadding(new Insets(10));
    getStyleClass().add("token-view");
  }

  public void show(DenoiseTrace trace, int stepIndex) {
    if (trace == null) {
      getChildren().clear();
      return;
    }
    TraceStep step = trace.steps().get(Math.clamp(stepIndex, 0, trace.stepCount()));
    int n = step.tokens().length;
    while (getChildren().size() < n) {
      getChildren().add(new Label());
    }
    getChildren().remove(n, getChildren().size());
    for (int i = 0; i < n; i++) {
      Label chip = (Label) getChildren().get(i);
      TokenState state = step.states()[i];
      String token = trace.vocab().get(step.tokens()[i]);
      // CDCD's step 0 shows the token nearest to the noise, not a mask
      boolean hidden = state == TokenState.REMASKED
          || (state == TokenState.MASKED && !trace.family().continuousNoise());
      chip.setText(hidden ? "[MASK]" : token.startsWith("##") ? token.substring(2) : token);
      chip.getStyleClass().setAll("chip", "state-" + state.name().toLowerCase());
      // masked diffusion: confidence as intensity; CDCD: certainty (1 − entropy/ln V)
      float c = trace.family().continuousNoise()
          ? (float) Math.max(0, 1 - step.entropy()[i] / Math.log(trace.vocab().size()))
          : step.confidence()[i];
      boolean shaded = state == TokenState.REVEALED || state == TokenState.KEPT
          || state == TokenState.CHANGED;
      chip.setStyle(shaded
          ? String.format("-fx-background-color: rgba(0,114,178,%.2f);%s", 0.12 + 0.6 * c,
              c > 0.7 ? " -fx-text-fill: white;" : "")
          : "");
      chip.setUserData(state);
      chip.setTooltip(new Tooltip(describe(trace, step, i)));
    }
  }

  static String describe(DenoiseTrace trace, TraceStep step, int i) {
    StringBuilder b = new StringBuilder("position " + i + " · "
        + step.states()[i].name().toLowerCase().replace('_', ' '));
    if (trace.family().continuousNoise() && step.topIds()[i].length > 0) {
      b.append(String.format(" · σ %.2f · entropy %.2f nats", step.level(), step.entropy()[i]));
    }
    if (step.confidence()[i] > 0) {
      b.append(String.format(" · confidence %.0f %%", 100 * step.confidence()[i]));
    }
    for (int k = 0; k < step.topIds()[i].length; k++) {
      b.append(String.format("%n%d. %-12s %5.1f %%", k + 1, trace.vocab().get(step.topIds()[i][k]),
          100 * step.topProbs()[i][k]));
    }
    return b.toString();
  }

  /** The text each chip shows, for tests and exports. */
  public java.util.List<String> texts() {
    return getChildren().stream().map(n -> ((Label) n).getText()).toList();
  }
}
