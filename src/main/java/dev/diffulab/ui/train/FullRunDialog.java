package dev.diffulab.ui.train;

import javafx.beans.value.ChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.stage.Window;

/**
 * The full run's offer: a dialog that shows the measurement under way, then what the run will
 * cost on this device, and starts it only on a deliberate click (Enter and Escape cancel).
 */
final class FullRunDialog {
  private FullRunDialog() {
  }

  /** Shows the dialog while {@code model} measures; its offer, or its failure, updates it. */
  static void show(Window owner, TrainViewModel model) {
    Dialog<ButtonType> dialog = new Dialog<>();
    dialog.initOwner(owner);
    dialog.setTitle("Full run");
    dialog.setHeaderText("Measuring what a full run costs on this device…");
    Label text = new Label();
    text.setId("fullRunText");
    text.setWrapText(true);
    text.setPrefWidth(520);
    text.setMinHeight(Region.USE_PREF_SIZE);
    text.textProperty().bind(model.measureTextProperty());
    ProgressIndicator spinner = new ProgressIndicator();
    spinner.setPrefSize(36, 36);
    HBox content = new HBox(14, spinner, text);
    content.setAlignment(Pos.CENTER_LEFT);
    dialog.getDialogPane().setContent(content);
    ButtonType start = new ButtonType("Start full run", ButtonBar.ButtonData.OK_DONE);
    dialog.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL);
    ChangeListener<FullRunOffer> offered = (o, was, offer) -> {
      if (offer != null) {
        text.textProperty().unbind();
        text.setText(offer.describe());
        content.getChildren().remove(spinner);
        dialog.setHeaderText("Full run: about " + TrainViewModel.duration(offer.etaMillis())
            + " on the " + offer.cost().device());
        dialog.getDialogPane().getButtonTypes().setAll(start, ButtonType.CANCEL);
        Button startButton = (Button) dialog.getDialogPane().lookupButton(start);
        startButton.setId("startFullRunButton");
        // hours of work start only on a deliberate click: Enter and Escape both cancel
        startButton.setDefaultButton(false);
        Button cancel = (Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.setDefaultButton(true);
        cancel.requestFocus();
        dialog.getDialogPane().getScene().getWindow().sizeToScene(); // room for the text
      }
    };
    ChangeListener<Boolean> failed = (o, was, measuring) -> {
      if (!measuring && model.offerProperty().get() == null) {
        dialog.close(); // the error, if any, is shown by Errors
      }
    };
    model.offerProperty().addListener(offered);
    model.measuringProperty().addListener(failed);
    dialog.setOnHidden(e -> {
      model.offerProperty().removeListener(offered);
      model.measuringProperty().removeListener(failed);
      FullRunOffer offer = model.offerProperty().get();
      if (dialog.getResult() == start && offer != null) {
        model.startFullRun(offer);
      } else {
        model.cancelMeasuring();
      }
    });
    dialog.show();
  }
}
