package dev.diffulab.ui.train;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.ModelSize;
import dev.diffulab.ui.common.Errors;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.stage.FileChooser;

/**
 * The Train workspace's row of key settings — method, model size, steps, learning rate, batch
 * and sequence length — with the config file they come from, and opening and saving config files.
 */
final class ConfigBar extends FlowPane {
  private final TrainViewModel model;

  /** Method, model size, steps, learning rate, batch size and sequence length; open and save. */
  ConfigBar(TrainViewModel model) {
    super(14, 6);
    this.model = model;
    ConfigViewModel config = model.config();
    ChoiceBox<Method> method = new ChoiceBox<>(FXCollections.observableArrayList(
        Method.values()));
    method.setConverter(new javafx.util.StringConverter<>() {
      @Override
      public String toString(Method m) {
        return m == null ? "" : m.displayName();
      }

      @Override
      public Method fromString(String s) {
        return null; // a choice box is never edited
      }
    });
    method.setId("methodChoice");
    method.setTooltip(new Tooltip("The model family of Quick test, Full run and Train"));
    method.setValue(model.method());
    method.disableProperty().bind(model.busyProperty());
    method.valueProperty().addListener((o, a, b) -> model.setMethod(b));
    config.value("method").addListener((o, a, b) -> {
      for (Method m : Method.values()) {
        if (m.id().equals(b)) {
          method.setValue(m);
        }
      }
    });
    ChoiceBox<ShippedConfigs.Task> task = new ChoiceBox<>(FXCollections.observableArrayList(
        ShippedConfigs.Task.values()));
    task.setConverter(new javafx.util.StringConverter<>() {
      @Override
      public String toString(ShippedConfigs.Task t) {
        return t == null ? "" : t.label();
      }

      @Override
      public ShippedConfigs.Task fromString(String s) {
        return null;
      }
    });
    task.setId("taskChoice");
    task.setTooltip(new Tooltip("What Quick test, Full run and Train learn: stories, or to"
        + " answer multiplication problems with a chain of thought (held-out accuracy is"
        + " measured as it trains)"));
    task.setValue(model.taskProperty().get());
    task.disableProperty().bind(model.busyProperty());
    task.valueProperty().addListener((o, a, b) -> model.setTask(b));
    model.taskProperty().addListener((o, a, b) -> task.setValue(b));
    ComboBox<ModelSize> size = new ComboBox<>(FXCollections.observableArrayList(
        ModelSize.values()));
    size.setId("sizeChoice");
    size.setTooltip(new Tooltip("Model size: layers × width (weights in the transformer blocks)."
        + " The numbers themselves are under All settings → Model."));
    size.setButtonCell(new ListCell<>() {
      @Override
      protected void updateItem(ModelSize item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty || item == null ? "custom" : item.toString());
      }
    });
    size.setValue(config.sizeProperty().get().orElse(null));
    config.sizeProperty().addListener((o, a, b) -> size.setValue(b.orElse(null)));
    size.valueProperty().addListener((o, a, b) -> config.setSize(b));
    size.disableProperty().bind(model.busyProperty());
    Button open = new Button("Open…");
    open.setId("openConfigButton");
    open.setTooltip(new Tooltip("Read a config file into these settings"));
    open.setOnAction(e -> chooseAndOpen());
    Button save = new Button("Save…");
    save.setId("saveConfigButton");
    save.setTooltip(new Tooltip("Write these settings to a config file (Ctrl+S)"));
    save.setOnAction(e -> chooseAndSave());
    Label file = new Label();
    file.setId("configFileLabel");
    file.getStyleClass().add("hint");
    file.textProperty().bind(Bindings.createStringBinding(() -> config.fileProperty().get() == null
        ? ""
        : config.fileProperty().get().getFileName().toString(), config.fileProperty()));
    getChildren().addAll(
        labelled("Method", method),
        labelled("Task", task),
        labelled("Size", size),
        labelled("Steps", knob("train.steps", 80)),
        labelled("Learning rate", knob("train.learning_rate", 80)),
        labelled("Batch", knob("train.batch_size", 60)),
        labelled("Sequence length", knob("model.seq_len", 60)),
        new HBox(6, open, save, file));
    setId("configBar");
    setAlignment(Pos.CENTER_LEFT);
  }

  private Control knob(String key, double width) {
    Control c = ConfigEditors.editor(model.config(), model.config().field(key));
    c.setPrefWidth(width);
    c.disableProperty().bind(model.busyProperty());
    return c;
  }

  private static Node labelled(String text, Control control) {
    Label l = new Label(text);
    l.setLabelFor(control);
    l.getStyleClass().add("field-name");
    HBox box = new HBox(6, l, control);
    box.setAlignment(Pos.CENTER_LEFT);
    return box;
  }

  /** Asks for a config file and reads it into the settings. */
  void chooseAndOpen() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Open config");
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Run configs", "*.json"));
    File f = fc.showOpenDialog(getScene().getWindow());
    if (f != null) {
      open(f.toPath());
    }
  }

  /** Reads a config file into the settings; a bad file is reported and changes nothing. */
  void open(Path file) {
    try {
      model.config().open(file);
    } catch (InputException e) {
      Errors.show(e.getMessage());
    }
  }

  /** Asks where to write the settings as a config file. */
  void chooseAndSave() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Save config");
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Run configs", "*.json"));
    Path current = model.config().fileProperty().get();
    fc.setInitialFileName(current != null
        ? current.getFileName().toString()
        : model.config().value("name").get() + ".json");
    File f = fc.showSaveDialog(getScene().getWindow());
    if (f != null) {
      save(f.toPath());
    }
  }

  void save(Path file) {
    try {
      model.config().save(file);
    } catch (InputException e) {
      Errors.show("The settings were not saved: " + e.getMessage());
    } catch (IOException e) {
      Errors.show("Saving " + file, e);
    }
  }
}
