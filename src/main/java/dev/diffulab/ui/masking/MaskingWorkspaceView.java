package dev.diffulab.ui.masking;

import dev.diffulab.ui.common.AppSession;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;

/** The Masking workspace: a text masked at 10–100 % and what the model would put in each blank. */
public final class MaskingWorkspaceView extends BorderPane {
  public MaskingWorkspaceView(AppSession session) {
    setId("maskingWorkspace");
    setPadding(new Insets(12));
    Label l = new Label("Masking: drag a slider from 10 % to 100 % to see what the model sees. "
        + "Train a run or open a checkpoint to see its predictions.");
    l.setWrapText(true);
    l.getStyleClass().add("intro");
    setTop(l);
  }
}
