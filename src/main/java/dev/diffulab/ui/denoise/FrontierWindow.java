package dev.diffulab.ui.denoise;

import dev.diffulab.core.metrics.Frontier;
import dev.diffulab.core.metrics.SweepReport;
import dev.diffulab.core.snapshot.ModelSnapshot;
import dev.diffulab.engine.LabService;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.jfree.chart.fx.ChartViewer;

/**
 * The quality–diversity frontier of the open model, beside Denoise: which sampler settings trade
 * valid stories (or closeness to held-out text) for variety, every setting a labelled point and
 * a table row, the Pareto front marked; exported as CSV and PNG as {@code evaluate --sweep}
 * writes them.
 */
public final class FrontierWindow {
  private final FrontierViewModel model;
  private final Stage stage = new Stage();
  private final ChartViewer chart = new ChartViewer(null);
  private final TableView<Row> table = new TableView<>();

  /** One setting as the table shows it. */
  public record Row(String setting, String quality, String diversity, String worst,
      String selfBleu, String front) {
  }

  public FrontierWindow(AppSession session, ModelSnapshot m, Window owner) {
    model = new FrontierViewModel(session);
    TextField grid = new TextField();
    grid.setId("frontierGrid");
    String own = LabService.defaultSweep(m.family());
    grid.setPromptText(own);
    grid.setPrefColumnCount(36);
    grid.setTooltip(new Tooltip("The settings to try, as key=v1,v2;key=v1,v2 (every"
        + " combination). Empty: the family's own, " + own));
    Spinner<Integer> samples = new Spinner<>(4, 1024, 64, 4);
    samples.setId("frontierSamples");
    samples.setEditable(true);
    samples.setPrefWidth(90);
    samples.setTooltip(new Tooltip("Samples drawn at each setting; more give steadier numbers"
        + " (each attribute's distance has a floor that falls with the sample count)"));
    Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, 7);
    seed.setId("frontierSeed");
    seed.setEditable(true);
    seed.setPrefWidth(110);
    Button run = new Button("Sweep");
    run.setId("frontierRun");
    run.getStyleClass().add("primary-button");
    run.setDefaultButton(true);
    run.disableProperty().bind(model.busyProperty());
    run.setOnAction(e -> model.run(grid.getText(), samples.getValue(), seed.getValue()));
    Button cancel = new Button("Cancel");
    cancel.setId("frontierCancel");
    cancel.disableProperty().bind(model.busyProperty().not());
    cancel.setOnAction(e -> model.cancel());
    Button export = new Button("Export CSV and PNG…");
    export.setId("frontierExport");
    export.disableProperty().bind(model.reportProperty().isNull().or(model.busyProperty()));
    export.setOnAction(e -> export());
    ProgressBar bar = new ProgressBar();
    bar.progressProperty().bind(model.progressProperty());
    bar.visibleProperty().bind(model.busyProperty());
    Label status = new Label();
    status.setId("frontierStatus");
    status.textProperty().bind(model.statusProperty());
    HBox gridRow = new HBox(8, SideWindow.label("Settings", grid), grid);
    gridRow.setAlignment(Pos.CENTER_LEFT);
    HBox.setHgrow(grid, Priority.ALWAYS);
    HBox runRow = new HBox(8, SideWindow.label("Samples a setting", samples), samples,
        SideWindow.label("Seed", seed), seed, run, cancel, bar, status);
    runRow.setAlignment(Pos.CENTER_LEFT);
    for (var b : List.of(run, cancel)) {
      b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    }
    VBox controls = new VBox(6, gridRow, runRow);
    Label intro = new Label("Each setting draws the same seed's samples and is measured as"
        + " evaluate measures it. Up is better quality, right more variety; the red line joins"
        + " the settings no other beats on both.");
    intro.setWrapText(true);
    intro.getStyleClass().add("intro");

    chart.setId("frontierChart");
    table.setId("frontierTable");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("Press Sweep to measure the settings."));
    TableColumn<Row, String> setting = column("setting", Row::setting);
    setting.setPrefWidth(340);
    table.getColumns().addAll(List.of(setting,
        column("quality", Row::quality), column("diversity", Row::diversity),
        column("worst attribute", Row::worst), column("self-BLEU", Row::selfBleu),
        column("front", Row::front)));
    model.reportProperty().addListener((o, a, r) -> show(r));
    SplitPane centre = new SplitPane(new StackPane(chart), table);
    centre.setOrientation(Orientation.VERTICAL);
    centre.setDividerPositions(0.62);
    HBox bottom = new HBox(8, export);
    bottom.setAlignment(Pos.CENTER_RIGHT);
    BorderPane root = new BorderPane(centre, new VBox(8, intro, controls), null, bottom, null);
    root.setId("frontierWindow");
    root.setUserData(this);
    root.setPadding(new Insets(12));
    BorderPane.setMargin(centre, new Insets(10, 0, 10, 0));
    SideWindow.dress(stage, owner, "Quality–diversity frontier · " + m.summary(), root, 1100,
        760, () -> model.busyProperty().get(), model::cancel);
  }

  public void show() {
    stage.show();
    stage.toFront();
  }

  public FrontierViewModel model() {
    return model;
  }

  private static TableColumn<Row, String> column(String title,
      java.util.function.Function<Row, String> value) {
    TableColumn<Row, String> c = new TableColumn<>(title);
    c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
    return c;
  }

  private void show(SweepReport r) {
    if (r == null) {
      return;
    }
    chart.setChart(model.chart(r));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < r.rows().size(); i++) {
      Frontier.Point p = r.points().get(i);
      Map<String, Object> x = r.rows().get(i);
      String worst = SweepReport.worst(x, "–");
      rows.add(new Row(p.label(), String.format(Locale.ROOT, "%.3f", p.quality()),
          String.format(Locale.ROOT, "%.3f", p.diversity()), worst,
          String.format(Locale.ROOT, "%.3f", SweepReport.number(x, "self_bleu")),
          p.onFront() ? "●" : ""));
    }
    table.getItems().setAll(rows);
  }

  private void export() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Export the frontier (a PNG is written beside)");
    fc.setInitialFileName("frontier.csv");
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
    File f = fc.showSaveDialog(stage);
    if (f == null) {
      return;
    }
    Path csv = f.toPath();
    String name = csv.getFileName().toString();
    Path png = csv.resolveSibling((name.endsWith(".csv")
        ? name.substring(0, name.length() - 4)
        : name) + ".png");
    try {
      model.exportCsv(csv, png);
    } catch (IOException e) {
      Errors.show("Exporting the frontier", e);
    }
  }
}
