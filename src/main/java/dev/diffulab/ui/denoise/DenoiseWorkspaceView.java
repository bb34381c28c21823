package dev.diffulab.ui.denoise;

import dev.diffulab.ui.common.AppSession;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;

/** The Denoise workspace: generate, then scrub step by step through the denoising. */
public final class DenoiseWorkspaceView extends BorderPane {
  public DenoiseWorkspaceView(AppSession session) {
    setId("denoiseWorkspace");
    setPadding(new Insets(12));
    Label l = new Label("Denoise: generate with a trained model, then scrub through every step. "
        + "Train a run or open a checkpoint first.");
    l.setWrapText(true);
    l.getStyleClass().add("intro");
    setTop(l);
  }
}
