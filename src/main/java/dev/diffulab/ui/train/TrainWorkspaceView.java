package dev.diffulab.ui.train;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.AppSession;
import java.awt.Color;
import java.nio.file.Path;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.data.xy.XYSeries;

/**
 * The Train workspace: one click to a live quick test. Controls on top, the corpus on the left,
 * the loss and per-noise-level charts in the middle, the latest samples below.
 */
public final class TrainWorkspaceView extends BorderPane {
  /** Okabe–Ito colours: distinguishable with every common colour-vision deficiency. */
  static final Color BLUE = new Color(0x0072B2);
  static final Color ORANGE = new Color(0xE69F00);
  static final Color GREEN = new Color(0x009E73);

  private final CorpusPanel corpusPanel = new CorpusPanel();
  private final TrainViewModel model;
  private LiveLineChart lossChart;
  private LiveLineChart ratioChart;
  private dev.diffulab.ui.chart.EntropyCurveChart entropyChart;

  public TrainWorkspaceView(AppSession session,
      java.util.function.Function<dev.diffulab.core.config.Method, RunConfig> quickTestConfig,
      Path runsDir) {
    setId("trainWorkspace");
    setPadding(new Insets(12));
    model = new TrainViewModel(session, quickTestConfig, runsDir);
    session.dispatcher().subscribe(CorpusSnapshot.class, corpusPanel::show);

    Button quick = new Button("Quick test");
    quick.setId("quickTestButton");
    quick.getStyleClass().add("primary-button");
    quick.setTooltip(new Tooltip("Train the quick-test config on the embedded TinyTales corpus"
        + " (Ctrl+Enter)"));
    quick.setOnAction(e -> model.quickTest());
    quick.disableProperty().bind(model.runningProperty());
    Button pause = new Button("Pause");
    pause.setId("pauseButton");
    pause.textProperty().bind(javafx.beans.binding.Bindings.when(model.pausedProperty())
        .then("Resume").otherwise("Pause"));
    pause.disableProperty().bind(model.runningProperty().not());
    pause.setOnAction(e -> model.togglePause());
    Button stop = new Button("Stop");
    stop.setId("stopButton");
    stop.setTooltip(new Tooltip("Stop at the next step and keep a checkpoint"));
    stop.disableProperty().bind(model.runningProperty().not());
    stop.setOnAction(e -> model.stop());
    ProgressBar bar = new ProgressBar();
    bar.setId("trainProgress");
    bar.progressProperty().bind(model.progressProperty());
    bar.setPrefWidth(200);
    Label step = new Label();
    step.setId("stepLabel");
    step.textProperty().bind(model.stepTextProperty());
    step.setMinWidth(130);
    Label stats = new Label();
    stats.setId("trainStatsLabel");
    stats.textProperty().bind(model.statsTextProperty());
    javafx.scene.control.ChoiceBox<String> method = new javafx.scene.control.ChoiceBox<>(
        javafx.collections.FXCollections.observableArrayList("Masked diffusion", "CDCD"));
    method.setId("methodChoice");
    method.setValue("Masked diffusion");
    method.disableProperty().bind(model.runningProperty());
    method.valueProperty().addListener((o, a, b) -> model.setMethod(b.equals("CDCD")
        ? dev.diffulab.core.config.Method.CDCD
        : dev.diffulab.core.config.Method.MASKED));
    HBox controls = new HBox(10, method, quick, pause, stop, bar, step, stats);
    controls.setAlignment(Pos.CENTER_LEFT);
    Label intro = new Label("Quick test trains a small transformer on TinyTales for a few minutes:"
        + " on a CPU it shows the learning dynamics — losses falling, the per-ratio curve taking"
        + " shape, samples moving from noise toward structure. Coherent stories need the full run"
        + " (hours on a CPU, minutes on a GPU).");
    intro.setWrapText(true);
    intro.getStyleClass().add("intro");
    VBox top = new VBox(8, controls, intro);
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);

    javafx.scene.control.ListView<dev.diffulab.ui.train.RunHistory.Run> runs = new javafx.scene.control.ListView<>(
        model.runs());
    runs.setId("runsList");
    runs.setPlaceholder(new Label("Finished runs appear here."));
    runs.setCellFactory(v -> new ListCell<>() {
      @Override
      protected void updateItem(dev.diffulab.ui.train.RunHistory.Run r, boolean empty) {
        super.updateItem(r, empty);
        setWrapText(true);
        setPrefWidth(0);
        setText(empty || r == null ? null : r.describe());
      }
    });
    runs.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> model.select(r));
    Button overlay = new Button("Overlay loss");
    overlay.setId("overlayButton");
    overlay.setTooltip(new Tooltip("Draw the selected run's loss curve over the current one"));
    overlay.disableProperty().bind(runs.getSelectionModel().selectedItemProperty().isNull());
    overlay.setOnAction(e -> model.overlay(runs.getSelectionModel().getSelectedItem()));
    Label runsTitle = new Label("Runs — select one to use it in Masking and Denoise");
    runsTitle.getStyleClass().add("card-title");
    runsTitle.setWrapText(true);
    // wrapped labels and the corpus card keep their full height when the run list grows
    runsTitle.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    corpusPanel.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    VBox runBox = new VBox(6, runsTitle, runs, overlay);
    VBox.setVgrow(runs, Priority.ALWAYS);
    VBox left = new VBox(12, corpusPanel, runBox);
    VBox.setVgrow(runBox, Priority.ALWAYS);
    left.setPrefWidth(380);
    left.setPadding(new Insets(0, 12, 0, 0));
    setLeft(left);
    setCenter(centre());
    sceneProperty().addListener((o, was, now) -> {
      if (now != null) {
        now.getAccelerators().put(new KeyCodeCombination(KeyCode.ENTER,
            KeyCombination.SHORTCUT_DOWN), model::quickTest);
      }
    });
  }

  private SplitPane centre() {
    LiveLineChart loss = new LiveLineChart("lossChart", "Training loss", "step", "nats");
    XYSeries raw = loss.addSeries("loss", BLUE, true, false);
    XYSeries smooth = loss.addSeries("smoothed", BLUE, false, false);
    XYSeries overlaid = loss.addSeries("overlaid run", ORANGE, true, false);
    model.overlayProperty().addListener((o, a, r) -> {
      if (r == null) {
        overlaid.clear();
      } else {
        loss.replace(overlaid, r.steps(), r.losses());
      }
      overlaid.setKey("overlay: " + (r == null ? "none" : r.id()));
      loss.flush();
    });
    XYSeries val = loss.addSeries("validation cross-entropy (masked; CDCD at σ_min)", ORANGE,
        false, true);
    model.onLoss(rows -> {
      rows.forEach(r -> {
        loss.add(raw, r.step(), r.raw());
        loss.add(smooth, r.step(), r.smoothed());
      });
      loss.flush();
    });
    model.onEval(points -> {
      for (EvalPoint p : points) {
        loss.add(val, p.step(), p.maskedCeNats());
      }
      loss.flush();
    });
    LiveLineChart levels = new LiveLineChart("ratioChart", "Loss by mask ratio",
        "mask ratio (%)", "masked cross-entropy (nats)");
    XYSeries curve = levels.addSeries("recent steps", GREEN, false, false);
    model.noiseLevelsProperty().addListener((o, was, now) -> {
      if (now != null) {
        double[] pct = java.util.Arrays.stream(now[0]).map(x -> 100 * x).toArray();
        levels.replace(curve, pct, now[1]);
        levels.flush();
      }
    });
    dev.diffulab.ui.chart.EntropyCurveChart entropy = new dev.diffulab.ui.chart.EntropyCurveChart();
    javafx.scene.layout.StackPane noiseLevels = new javafx.scene.layout.StackPane(levels, entropy);
    noiseLevels.setId("entropyChart");
    entropy.visibleProperty().bind(model.methodProperty().isEqualTo(
        dev.diffulab.core.config.Method.CDCD));
    levels.visibleProperty().bind(entropy.visibleProperty().not());
    model.entropyCurveProperty().addListener((o, a, c) -> {
      if (c != null) {
        entropy.show(c);
      }
    });
    this.lossChart = loss;
    this.ratioChart = levels;
    this.entropyChart = entropy;
    model.onReset(() -> {
      model.overlay(null);
      loss.clear();
      levels.clear();
    });

    Slider smoothing = new Slider(0, 0.99, 0.9);
    smoothing.setId("smoothingSlider");
    smoothing.valueProperty().addListener((o, a, b) -> model.setSmoothing(b.doubleValue()));
    CheckBox logY = new CheckBox("log y");
    logY.setId("logYToggle");
    logY.selectedProperty().addListener((o, a, b) -> loss.setLogY(b));
    Button fit = new Button("Fit");
    fit.setId("fitButton");
    fit.setOnAction(e -> {
      loss.fit();
      levels.fit();
    });
    Button export = new Button("Export charts…");
    export.setId("exportChartsButton");
    export.setTooltip(new Tooltip("Each chart as PNG and every series as CSV, into a folder"));
    export.setOnAction(e -> {
      javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
      dc.setTitle("Folder for the exported charts");
      java.io.File d = dc.showDialog(getScene().getWindow());
      if (d != null) {
        try {
          exportCharts(d.toPath());
        } catch (java.io.IOException ex) {
          dev.diffulab.ui.common.Errors.show("Exporting charts to " + d, ex);
        }
      }
    });
    HBox chartTools = new HBox(8, new Label("Smoothing"), smoothing, logY, fit, export);
    chartTools.setAlignment(Pos.CENTER_LEFT);
    HBox charts = new HBox(10, loss, noiseLevels);
    HBox.setHgrow(loss, Priority.ALWAYS);
    HBox.setHgrow(noiseLevels, Priority.ALWAYS);
    VBox chartBox = new VBox(6, chartTools, charts);
    VBox.setVgrow(charts, Priority.ALWAYS);

    ListView<TrainViewModel.SampleRow> samples = new ListView<>(model.samples());
    samples.setId("samplesList");
    samples.setPlaceholder(new Label("Preview samples appear here as the run goes."));
    samples.setCellFactory(v -> new ListCell<>() {
      @Override
      protected void updateItem(TrainViewModel.SampleRow row, boolean empty) {
        super.updateItem(row, empty);
        setWrapText(true);
        setPrefWidth(0);
        if (empty || row == null) {
          setText(null);
          setTooltip(null);
          getStyleClass().removeAll("sample-valid", "sample-invalid");
          return;
        }
        String mark = !row.judged() ? "" : row.valid() ? "✔ valid  " : "✘ invalid  ";
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
    VBox sampleBox = new VBox(6, samplesTitle, samples);
    VBox.setVgrow(samples, Priority.ALWAYS);
    SplitPane split = new SplitPane(chartBox, sampleBox);
    split.setOrientation(Orientation.VERTICAL);
    split.setDividerPositions(0.62);
    return split;
  }

  /**
   * Writes loss.png/.csv and the per-noise-level chart (ratio.png/.csv, or entropy.png/.csv for
   * CDCD) into {@code dir}: PNGs with axes and legend, CSVs with every point.
   */
  public void exportCharts(java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    dev.diffulab.ui.chart.ChartExport.png(lossChart.chart(), dir.resolve("loss.png"), 1000, 600);
    dev.diffulab.ui.chart.ChartExport.csv(lossChart.series(), dir.resolve("loss.csv"));
    if (entropyChart.isVisible()) {
      dev.diffulab.ui.chart.ChartExport.png(entropyChart.chart(), dir.resolve("entropy.png"), 1000,
          600);
      dev.diffulab.ui.chart.ChartExport.csv(entropyChart.series(), dir.resolve("entropy.csv"));
    } else {
      dev.diffulab.ui.chart.ChartExport.png(ratioChart.chart(), dir.resolve("ratio.png"), 1000,
          600);
      dev.diffulab.ui.chart.ChartExport.csv(ratioChart.series(), dir.resolve("ratio.csv"));
    }
  }

  public TrainViewModel model() {
    return model;
  }
}
