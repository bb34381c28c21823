package dev.diffulab.ui.train;

import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The latest preview samples of a run, each marked by its judge: valid or invalid by the TinyTales
 * validator, an answer right or wrong, a text written back exactly or changed.
 */
final class SamplesPane extends VBox {
  SamplesPane(TrainViewModel model) {
    ListView<RunCurves.SampleRow> samples = new ListView<>(model.curves().samples());
    samples.setId("samplesList");
    samples.setPlaceholder(new Label("Preview samples appear here as the run goes."));
    samples.setCellFactory(v -> new ListCell<>() {
      @Override
      protected void updateItem(RunCurves.SampleRow row, boolean empty) {
        super.updateItem(row, empty);
        setWrapText(true);
        setPrefWidth(0);
        if (empty || row == null) {
          setText(null);
          setTooltip(null);
          getStyleClass().removeAll("sample-valid", "sample-invalid");
          return;
        }
        String mark = !row.judged()
            ? ""
            : row.valid()
                ? "✔ " + row.kind().passed() + "  "
                : "✘ " + row.kind().failed() + "  ";
        setText(mark + row.text());
        getStyleClass().removeAll("sample-valid", "sample-invalid");
        if (row.judged()) {
          getStyleClass().add(row.valid() ? "sample-valid" : "sample-invalid");
          setTooltip(row.valid() ? null : new Tooltip(row.error()));
        }
      }
    });
    Label samplesTitle = new Label("Latest samples");
    samplesTitle.getStyleClass().add("card-title");
    setSpacing(6);
    getChildren().setAll(samplesTitle, samples);
    VBox.setVgrow(samples, Priority.ALWAYS);
  }
}
