package dev.diffulab.ui.denoise;

import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.snapshot.ModelSnapshot;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.jfree.data.xy.XYSeries;

/**
 * Accuracy against denoising steps for the open model that answers prompts, beside Denoise:
 * held-out prompts answered with Denoise's current settings at each step count, the exact
 * accuracy and the share of right parts as curves. The autoregressive baseline, which writes one
 * token a step, is one level line.
 */
public final class StepsCurveWindow {
  private final StepsCurveViewModel model;
  private final Stage stage = new Stage();
  private final LiveLineChart chart = new LiveLineChart("stepsCurveChart",
      "Held-out answers by denoising steps", "denoising steps", "fraction right");
  private final XYSeries exact = chart.addSeries("exact answers", new java.awt.Color(0x009E73),
      false,
      true);
  private final XYSeries parts = chart.addSeries("right parts (partial products, facts, ROUGE-L)",
      new java.awt.Color(0x0072B2), false, true);
  private final int canvas;

  /**
   * @param sampler Denoise's settings when Measure is pressed
   * @param multiPass whether Denoise answers thought by thought
   */
  public StepsCurveWindow(AppSession session, ModelSnapshot m, Window owner,
      Supplier<SamplerConfig> sampler, BooleanSupplier multiPass) {
    model = new StepsCurveViewModel(session);
    canvas = m.seqLen();
    // points joined: a curve over step counts, few points
    var renderer = (org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) chart.chart().getXYPlot()
        .getRenderer();
    renderer.setSeriesLinesVisible(0, true);
    renderer.setSeriesLinesVisible(1, true);
    TextField steps = new TextField(StepsCurveViewModel.defaultSteps(canvas));
    steps.setId("stepsCurveSteps");
    steps.setPrefColumnCount(24);
    steps.setTooltip(new Tooltip("The step counts to try, 1 to " + canvas + ", as 1,2,4,8"));
    Spinner<Integer> prompts = new Spinner<>(8, 2000, 100, 10);
    prompts.setId("stepsCurvePrompts");
    prompts.setEditable(true);
    prompts.setPrefWidth(110);
    prompts.setTooltip(new Tooltip("Held-out prompts answered at each step count; the same"
        + " prompts every time"));
    Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, 7);
    seed.setId("stepsCurveSeed");
    seed.setEditable(true);
    seed.setPrefWidth(110);
    Button run = new Button("Measure");
    run.setId("stepsCurveRun");
    run.getStyleClass().add("primary-button");
    run.setDefaultButton(true);
    run.disableProperty().bind(model.busyProperty());
    run.setOnAction(e -> model.run(sampler.get(), steps.getText(), canvas, prompts.getValue(),
        seed.getValue(), multiPass.getAsBoolean()));
    Button cancel = new Button("Cancel");
    cancel.setId("stepsCurveCancel");
    cancel.disableProperty().bind(model.busyProperty().not());
    cancel.setOnAction(e -> model.cancel());
    Button export = new Button("Export CSV…");
    export.setId("stepsCurveExport");
    export.disableProperty().bind(model.rowsProperty().isNull().or(model.busyProperty()));
    export.setOnAction(e -> export());
    for (Button b : List.of(run, cancel, export)) {
      b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    }
    ProgressBar bar = new ProgressBar();
    bar.progressProperty().bind(model.progressProperty());
    bar.visibleProperty().bind(model.busyProperty());
    Label status = new Label();
    status.setId("stepsCurveStatus");
    status.textProperty().bind(model.statusProperty());
    HBox row = new HBox(8, SideWindow.label("Step counts", steps), steps,
        SideWindow.label("Prompts", prompts),
        prompts, SideWindow.label("Seed", seed), seed, run, cancel, bar);
    row.setAlignment(Pos.CENTER_LEFT);
    HBox.setHgrow(steps, Priority.ALWAYS);
    Label intro = new Label("How many denoising steps does an answer need? Each step count"
        + " answers the same held-out prompts with Denoise's settings; fewer steps write more"
        + " tokens at once.");
    intro.setWrapText(true);
    intro.getStyleClass().add("intro");
    model.rowsProperty().addListener((o, a, r) -> show(r));
    HBox bottom = new HBox(8, status, new javafx.scene.layout.Region(), export);
    HBox.setHgrow(bottom.getChildren().get(1), Priority.ALWAYS);
    bottom.setAlignment(Pos.CENTER_LEFT);
    BorderPane root = new BorderPane(chart, new VBox(8, intro, row), null, bottom, null);
    root.setId("stepsCurveWindow");
    root.setUserData(this);
    root.setPadding(new Insets(12));
    BorderPane.setMargin(chart, new Insets(10, 0, 10, 0));
    SideWindow.dress(stage, owner, "Accuracy by steps · " + m.summary(), root, 900, 620,
        () -> model.busyProperty().get(), model::cancel);
  }

  public void show() {
    stage.show();
    stage.toFront();
  }

  public StepsCurveViewModel model() {
    return model;
  }

  public LiveLineChart chart() {
    return chart;
  }

  private void show(List<Map<String, Object>> rows) {
    chart.clear();
    if (rows == null || rows.isEmpty()) {
      return;
    }
    boolean level = rows.size() == 1 && StepsCurveViewModel.number(rows.getFirst(), "steps") == 0;
    for (var r : rows) {
      double e = StepsCurveViewModel.number(r, "exact_accuracy");
      double p = StepsCurveViewModel.number(r, "partial_product_share");
      if (Double.isNaN(p)) {
        p = StepsCurveViewModel.number(r, "fact_share");
      }
      // the autoregressive baseline: one level line across the step counts (it ignores them)
      double[] xs = level
          ? new double[]{1, canvas}
          : new double[]{StepsCurveViewModel.number(r, "steps")};
      for (double x : xs) {
        chart.add(exact, x, e);
        if (!Double.isNaN(p)) {
          chart.add(parts, x, p);
        }
      }
    }
    chart.flush();
    chart.fit();
  }

  private void export() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Export accuracy by steps");
    fc.setInitialFileName("accuracy-by-steps.csv");
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
    File f = fc.showSaveDialog(stage);
    if (f == null) {
      return;
    }
    try {
      model.exportCsv(f.toPath());
    } catch (IOException e) {
      Errors.show("Exporting accuracy by steps", e);
    }
  }
}
