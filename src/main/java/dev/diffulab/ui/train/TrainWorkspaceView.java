package dev.diffulab.ui.train;

import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.ui.common.AppSession;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;

/**
 * The Train workspace: one click to a live quick test, a measured offer of the full run, and a
 * config of one's own. Actions and the key settings on top; the corpus, the runs and every other
 * setting on the left; the loss and per-noise-level charts in the middle, the latest samples below.
 */
public final class TrainWorkspaceView extends BorderPane {
  /** Okabe–Ito colours: distinguishable with every common colour-vision deficiency. */
  static final Color BLUE = new Color(0x0072B2);
  static final Color ORANGE = new Color(0xE69F00);
  static final Color GREEN = new Color(0x009E73);
  static final Color VERMILLION = new Color(0xD55E00);
  static final Color PURPLE = new Color(0xCC79A7);

  private final TrainViewModel model;
  private final CorpusPanel corpusPanel;
  private TrainCharts charts;
  private ConfigBar configBar;

  public TrainWorkspaceView(AppSession session, Path runsDir) {
    setId("trainWorkspace");
    setPadding(new Insets(12));
    model = new TrainViewModel(session, runsDir);
    corpusPanel = new CorpusPanel(model.config());
    session.dispatcher().subscribe(CorpusSnapshot.class, corpusPanel::show);
    Label problem = new Label();
    problem.setId("configProblemLabel");
    problem.getStyleClass().add("problem");
    problem.setWrapText(true);
    problem.textProperty().bind(model.config().problemProperty());
    problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
    Label intro = new Label("Quick test trains a small transformer on TinyTales for a few minutes:"
        + " on a CPU it shows the learning dynamics — losses falling, the per-ratio curve taking"
        + " shape, samples moving from noise toward stories (a few in a hundred valid by the end)."
        + " Stories that hold together need longer: the demo model (Models menu) trained for"
        + " about three hours on a 2-core CPU.");
    intro.setWrapText(true);
    intro.getStyleClass().add("intro");
    // a settings problem takes the intro's place, so nothing below moves while typing
    intro.visibleProperty().bind(problem.visibleProperty().not());
    StackPane message = new StackPane(intro, problem);
    message.setAlignment(Pos.TOP_LEFT);
    configBar = new ConfigBar(model);
    VBox top = new VBox(8, actions(), configBar, message);
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);
    setLeft(leftPane());
    setCenter(centre());
    sceneProperty().addListener((o, was, now) -> {
      if (now != null) {
        now.getAccelerators().put(KeyCombination.keyCombination("Shortcut+Enter"),
            model::quickTest);
        now.getAccelerators().put(KeyCombination.keyCombination("Shortcut+Shift+Enter"),
            model::train);
        now.getAccelerators().put(KeyCombination.keyCombination("Shortcut+S"),
            this::chooseAndSaveConfig);
      }
    });
  }

  private Node actions() {
    Button quick = new Button("Quick test");
    quick.setId("quickTestButton");
    quick.getStyleClass().add("primary-button");
    quick.setTooltip(new Tooltip("Train the quick-test config of the selected method on the"
        + " embedded TinyTales corpus (Ctrl+Enter)"));
    quick.setOnAction(e -> model.quickTest());
    quick.disableProperty().bind(model.busyProperty());
    Button full = new Button("Full run…");
    full.setId("fullRunButton");
    full.setTooltip(new Tooltip("The quality run (full.json or full-cdcd.json): measures a few"
        + " steps first and says what the whole run will cost on this device"));
    full.setOnAction(e -> fullRun());
    full.disableProperty().bind(model.busyProperty());
    Button train = new Button("Train");
    train.setId("trainButton");
    train.setTooltip(new Tooltip("Train the settings below, on the chosen corpus"
        + " (Ctrl+Shift+Enter)"));
    train.setOnAction(e -> model.train());
    train.disableProperty().bind(model.busyProperty().or(model.config().validProperty().not()));
    Button pause = new Button("Pause");
    pause.setId("pauseButton");
    pause.textProperty().bind(Bindings.when(model.pausedProperty()).then("Resume")
        .otherwise("Pause"));
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
    bar.setPrefWidth(180);
    Label step = new Label();
    step.setId("stepLabel");
    step.textProperty().bind(model.stepTextProperty());
    step.setMinWidth(130);
    Label stats = new Label();
    stats.setId("trainStatsLabel");
    stats.textProperty().bind(model.statsTextProperty());
    HBox row = new HBox(10, quick, full, train, new Separator(Orientation.VERTICAL), pause, stop,
        bar, step, stats);
    row.setAlignment(Pos.CENTER_LEFT);
    return row;
  }

  /** The corpus and the runs of this session; every other setting in a property sheet. */
  private Node leftPane() {
    ListView<RunHistory.Run> runs = new ListView<>(model.runs());
    runs.setId("runsList");
    runs.setPlaceholder(new Label("Finished runs appear here."));
    runs.setCellFactory(v -> new ListCell<>() {
      @Override
      protected void updateItem(RunHistory.Run r, boolean empty) {
        super.updateItem(r, empty);
        setWrapText(true);
        setPrefWidth(0);
        setText(empty || r == null ? null : r.describe());
        setTooltip(empty || r == null ? null : new Tooltip(r.details()));
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
    runsTitle.setMinHeight(Region.USE_PREF_SIZE);
    corpusPanel.setMinHeight(Region.USE_PREF_SIZE);
    VBox runBox = new VBox(6, runsTitle, runs, overlay);
    VBox.setVgrow(runs, Priority.ALWAYS);
    VBox data = new VBox(12, corpusPanel, runBox);
    VBox.setVgrow(runBox, Priority.ALWAYS);
    data.setPadding(new Insets(10, 0, 0, 0));

    PropertySheet sheet = new PropertySheet(FXCollections.observableArrayList(
        model.config().otherFields().stream()
            .map(f -> (PropertySheet.Item) new ConfigEditors.Row(model.config(), f)).toList()));
    sheet.setId("settingsSheet");
    sheet.setPropertyEditorFactory(ConfigEditors::propertyEditor);
    sheet.setMode(PropertySheet.Mode.CATEGORY);
    sheet.setCategoryComparator(ConfigEditors.SECTION_ORDER);
    sheet.setModeSwitcherVisible(false);
    // the sheet and the tab's content have their disable state set by their skins
    StackPane locked = new StackPane(sheet);
    locked.disableProperty().bind(model.busyProperty());
    StackPane settings = new StackPane(locked);
    Tab dataTab = new Tab("Data & runs", data);
    dataTab.setId("dataTab");
    Tab settingsTab = new Tab("All settings", settings);
    settingsTab.setId("settingsTab");
    settingsTab.setTooltip(new Tooltip("Every setting of the Train config; a bad value is"
        + " outlined in red with the problem as its tooltip"));
    TabPane tabs = new TabPane(dataTab, settingsTab);
    tabs.setId("trainSideTabs");
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    tabs.setPrefWidth(390);
    BorderPane.setMargin(tabs, new Insets(0, 12, 0, 0));
    return tabs;
  }

  /** Measures a few steps of the full config, then offers the run with what it will cost. */
  private void fullRun() {
    model.measureFullRun();
    if (model.measuringProperty().get()) {
      FullRunDialog.show(getScene().getWindow(), model);
    }
  }

  /** Asks for a config file and reads it into the settings. */
  public void chooseAndOpenConfig() {
    configBar.chooseAndOpen();
  }

  /** Reads a config file into the settings; a bad file is reported and changes nothing. */
  public void openConfig(Path file) {
    configBar.open(file);
  }

  /** Asks where to write the settings as a config file. */
  public void chooseAndSaveConfig() {
    configBar.chooseAndSave();
  }

  public void saveConfig(Path file) {
    configBar.save(file);
  }

  /**
   * Files dropped on the window: a run config is read into the settings, a tokenizer.json and a
   * corpus become the Train corpus and tokenizer.
   */
  public void acceptFiles(List<Path> files) {
    for (Path f : files) {
      switch (DroppedFile.kind(f)) {
        case CONFIG -> openConfig(f);
        case TOKENIZER -> model.config().useTokenizer(f);
        case CORPUS -> model.config().useCorpus(f);
      }
    }
  }

  public CorpusPanel corpusPanel() {
    return corpusPanel;
  }

  private SplitPane centre() {
    charts = new TrainCharts(model);
    SplitPane split = new SplitPane(charts, new SamplesPane(model));
    split.setOrientation(Orientation.VERTICAL);
    split.setDividerPositions(0.62);
    return split;
  }

  /**
   * Writes loss.png/.csv and the per-noise-level chart (ratio.png/.csv, or entropy.png/.csv for
   * CDCD) into {@code dir}: PNGs with axes and legend, CSVs with every point.
   */
  public void exportCharts(Path dir) throws IOException {
    charts.exportCharts(dir);
  }

  public TrainViewModel model() {
    return model;
  }
}
