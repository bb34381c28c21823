package dev.diffulab.ui.denoise;

import dev.diffulab.core.metrics.CompareColumns;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Checkpoints side by side, beside Denoise: each evaluated on the same held-out prompts (or
 * samples) and seed with its own sampler, one table row each — method, parameters, steps,
 * training time, exact accuracy, right parts, answers a second — as {@code evaluate --compare}
 * prints it; cancellable, exported as CSV.
 */
public final class CompareWindow {
  private final AppSession session;
  private final Stage stage = new Stage();
  private final ObservableList<Path> checkpoints = FXCollections.observableArrayList();
  private final TableView<Map<String, Object>> table = new TableView<>();
  private final EngineMeasurement measurement;
  private final ReadOnlyObjectWrapper<List<Map<String, Object>>> rows = new ReadOnlyObjectWrapper<>();
  private final ProgressBar bar = new ProgressBar();

  /** @param first the checkpoints listed at the start (the open model's, the compared one's) */
  public CompareWindow(AppSession session, List<Path> first, Window owner) {
    this.session = session;
    this.measurement = new EngineMeasurement(session, "Comparing checkpoints");
    var busy = measurement.busyProperty();
    checkpoints.addAll(first);
    ListView<Path> list = new ListView<>(checkpoints);
    list.setId("compareList");
    list.setPrefHeight(120);
    list.setPlaceholder(new Label("Add the checkpoints to compare."));
    Button add = new Button("Add checkpoint…");
    add.setId("compareAdd");
    add.setOnAction(e -> {
      DirectoryChooser dc = new DirectoryChooser();
      dc.setTitle("Checkpoint folder to compare");
      File d = dc.showDialog(stage);
      if (d != null) {
        add(d.toPath());
      }
    });
    Button remove = new Button("Remove");
    remove.setId("compareRemove");
    remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull()
        .or(busy));
    remove.setOnAction(e -> checkpoints.remove(list.getSelectionModel().getSelectedItem()));
    Spinner<Integer> prompts = new Spinner<>(8, 5000, 200, 50);
    prompts.setId("comparePrompts");
    prompts.setEditable(true);
    prompts.setPrefWidth(110);
    Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, 7);
    seed.setId("compareSeed");
    seed.setEditable(true);
    seed.setPrefWidth(110);
    Button run = new Button("Compare");
    run.setId("compareRun");
    run.getStyleClass().add("primary-button");
    run.setDefaultButton(true);
    run.disableProperty().bind(busy.or(javafx.beans.binding.Bindings
        .isEmpty(checkpoints)));
    run.setOnAction(e -> run(prompts.getValue(), seed.getValue()));
    Button cancel = new Button("Cancel");
    cancel.setId("compareCancel");
    cancel.disableProperty().bind(busy.not());
    cancel.setOnAction(e -> cancel());
    Button export = new Button("Export CSV…");
    export.setId("compareExport");
    export.disableProperty().bind(rows.getReadOnlyProperty().isNull().or(busy));
    export.setOnAction(e -> export());
    bar.visibleProperty().bind(busy);
    bar.progressProperty().bind(measurement.progressProperty());
    Label state = new Label();
    state.setId("compareStatus");
    state.textProperty().bind(measurement.statusProperty());
    Label promptsLabel = SideWindow.label("Prompts (or samples)", prompts);
    Label seedLabel = SideWindow.label("Seed", seed);
    HBox listButtons = new HBox(8, add, remove);
    HBox runRow = new HBox(8, promptsLabel, prompts, seedLabel, seed, run, cancel, bar);
    runRow.setAlignment(Pos.CENTER_LEFT);
    Label intro = new Label("Each checkpoint answers the same held-out prompts (a text model"
        + " draws as many samples) on the same seed with its own sampler — a diffusion model and"
        + " the autoregressive baseline of the same size side by side.");
    intro.setWrapText(true);
    intro.getStyleClass().add("intro");
    table.setId("compareTable");
    table.setPlaceholder(new Label("Press Compare to evaluate the checkpoints."));
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    HBox bottom = new HBox(8, state, new javafx.scene.layout.Region(), export);
    HBox.setHgrow(bottom.getChildren().get(1), javafx.scene.layout.Priority.ALWAYS);
    bottom.setAlignment(Pos.CENTER_LEFT);
    BorderPane root = new BorderPane(table, new VBox(8, intro, list, listButtons, runRow), null,
        bottom, null);
    root.setId("compareWindow");
    root.setUserData(this);
    root.setPadding(new Insets(12));
    BorderPane.setMargin(table, new Insets(10, 0, 10, 0));
    SideWindow.dress(stage, owner, "Compare checkpoints", root, 1000, 620, measurement::busy,
        this::cancel);
    list.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.DELETE && !measurement.busy()) {
        checkpoints.remove(list.getSelectionModel().getSelectedItem());
      }
    });
  }

  /** Lists {@code dir} (once) among the checkpoints to compare. */
  public void add(Path dir) {
    Path p = dir.toAbsolutePath().normalize();
    if (!checkpoints.contains(p)) {
      checkpoints.add(p);
    }
  }

  public void show() {
    stage.show();
    stage.toFront();
  }

  /** Evaluates the listed checkpoints, {@code prompts} each, from {@code seed}. */
  public void run(int prompts, long seed) {
    if (checkpoints.isEmpty()) {
      return;
    }
    measurement.start(progress -> session.service().compare(new ArrayList<>(checkpoints),
        prompts, seed, progress),
        (done, all) -> measurement.status("evaluated " + done + " of " + all + " checkpoints"),
        result -> {
          show(result);
          measurement.status(result.size() + (result.size() == 1
              ? " checkpoint"
              : " checkpoints") + " on " + prompts + " prompts, seed " + seed);
          rows.set(result);
        });
  }

  public void cancel() {
    measurement.cancel();
  }

  public ObservableList<Path> checkpoints() {
    return checkpoints;
  }

  public javafx.beans.property.ReadOnlyObjectProperty<List<Map<String, Object>>> rowsProperty() {
    return rows.getReadOnlyProperty();
  }

  public javafx.beans.property.ReadOnlyBooleanProperty busyProperty() {
    return measurement.busyProperty();
  }

  public TableView<Map<String, Object>> table() {
    return table;
  }

  private void show(List<Map<String, Object>> result) {
    table.getColumns().clear();
    for (CompareColumns.Column c : CompareColumns.present(result)) {
      TableColumn<Map<String, Object>, String> col = new TableColumn<>(
          c.key().equals("train_seconds") ? "training" : c.heading());
      col.setCellValueFactory(d -> new ReadOnlyStringWrapper(cell(c.key(), d.getValue()
          .get(c.key()))));
      table.getColumns().add(col);
    }
    table.getItems().setAll(result);
  }

  /** A cell as a person reads it: training time as a duration, parameters grouped. */
  static String cell(String key, Object v) {
    if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
      if (key.equals("train_seconds")) {
        return dev.diffulab.core.text.Durations.format(Math.round(n.doubleValue() * 1000));
      }
      if (key.equals("parameters")) {
        return String.format(java.util.Locale.ROOT, "%,d", n.longValue());
      }
    }
    return CompareColumns.cell(v);
  }

  /** The table as CSV: the present columns, one row a checkpoint. */
  static String csv(List<Map<String, Object>> result) {
    List<CompareColumns.Column> cols = CompareColumns.present(result);
    StringBuilder b = new StringBuilder();
    b.append(String.join(",", cols.stream().map(CompareColumns.Column::key).toList()))
        .append('\n');
    for (var r : result) {
      List<String> cells = new ArrayList<>();
      for (var c : cols) {
        Object v = r.get(c.key());
        String s = v == null ? "" : String.valueOf(v);
        cells.add(s.contains(",") || s.contains("\"")
            ? "\"" + s.replace("\"", "\"\"") + "\""
            : s);
      }
      b.append(String.join(",", cells)).append('\n');
    }
    return b.toString();
  }

  private void export() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Export the comparison");
    fc.setInitialFileName("compare.csv");
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
    File f = fc.showSaveDialog(stage);
    if (f == null || rows.get() == null) {
      return;
    }
    try {
      Files.writeString(f.toPath(), csv(rows.get()));
      dev.diffulab.ui.common.Notices.done("Exported the comparison", f.getName(),
          f.toPath().toAbsolutePath().getParent());
    } catch (IOException e) {
      Errors.show("Exporting the comparison to " + f, e);
    }
  }
}
