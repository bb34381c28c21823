package dev.diffulab.ui.denoise;

import dev.diffulab.core.session.LabSession;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The Denoise workspace: generate, then scrub step by step through the recorded run — two
 * settings side by side on one timeline when comparing.
 */
public final class DenoiseWorkspaceView extends BorderPane {
  private DenoiseExports exports;
  private final DenoiseViewModel model;
  private final TraceChips chipsA = new TraceChips("tokenViewA");
  private final TraceChips chipsB = new TraceChips("tokenViewB");
  private final TraceHeatmap heatmap = new TraceHeatmap();
  private final Slider scrubber = new Slider(0, 0, 0);
  private final Timeline player = new Timeline();
  private final SamplerControls controls = new SamplerControls();

  public DenoiseWorkspaceView(AppSession session) {
    setId("denoiseWorkspace");
    setPadding(new Insets(12));
    model = new DenoiseViewModel(session);
    Button generate = new Button("Generate");
    generate.setId("generateButton");
    generate.getStyleClass().add("primary-button");
    generate.disableProperty().bind(model.busyProperty());
    generate.setOnAction(e -> generate());
    Button cancel = new Button("Cancel");
    cancel.setId("cancelGenerateButton");
    cancel.disableProperty().bind(model.busyProperty().not());
    cancel.setOnAction(e -> model.cancel());
    Label progress = new Label();
    progress.textProperty().bind(model.progressProperty());
    Label modelLabel = new Label();
    modelLabel.setId("denoiseModelLabel");
    modelLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
        () -> model.modelProperty().get() == null
            ? "No model: open one from the Models menu, or start a quick test."
            : model.modelChoice().labelProperty().get(),
        model.modelProperty(), model.modelChoice().labelProperty()));
    CheckBox follow = model.modelChoice().followToggle("denoiseFollowCheck");
    // a newly opened model brings its own sampler settings (a shipped model's tuned ones)
    model.modelProperty().addListener((o, a, m) -> {
      if (m != null && m.sampler() != null && (a == null || !a.source().equals(m.source()))) {
        controls.useSettings(m.sampler());
      }
      // a model that answers needs its question, which stays fixed at the top of the canvas
      controls.prefix.setPromptText(m != null && m.answers()
          ? "question (required)"
          : "prompt (optional)");
      controls.multiPass.setVisible(m != null && m.answers()
          && m.family().answersThoughtByThought());
      controls.guidanceRow.setVisible(m != null && m.answers() && m.family().guidesByPrompt());
      controls.etaRow.setVisible(m != null && m.family().samplesByDdim());
      // an answer fills the canvas it trained on, whatever length is asked; CDCD's solver
      // does nothing for a family whose noise is not continuous
      controls.length.setDisable(m != null && (m.answers() || m.family().endsItsTexts()));
      controls.solver.setDisable(m != null && !m.family().continuousNoise());
      // a family that decodes a latent greedily has no token rules to set
      boolean rules = m == null || m.family().drawsTokens();
      for (javafx.scene.control.Control c : java.util.List.of(controls.schedule,
          controls.remasking, controls.sampling, controls.topK, controls.topP,
          controls.temperature)) {
        c.setDisable(!rules);
      }
    });

    FlowPane settings = controls.pane();
    Label otherLabel = new Label();
    otherLabel.setId("compareModelLabel");
    // B's model, however it was opened (this button or the Models menu)
    otherLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
        () -> session.compareSummaryProperty().get().isEmpty()
            ? ""
            : "B: " + session.compareSummaryProperty().get(),
        session.compareSummaryProperty()));
    session.compareSummaryProperty().addListener((o, a, b) -> {
      if (!b.isEmpty()) {
        controls.compare.setSelected(true);
        controls.otherModel.setSelected(true);
      }
    });
    Button openOther = new Button("Other model…");
    openOther.setId("openCompareModelButton");
    openOther.disableProperty().bind(controls.otherModel.selectedProperty().not());
    openOther.setOnAction(e -> {
      javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
      dc.setTitle("Checkpoint to compare with");
      File d = dc.showDialog(getScene().getWindow());
      if (d != null) {
        session.openCompareCheckpoint(d.toPath());
      }
    });
    HBox compareRow = new HBox(8, controls.compare, controls.scheduleB, controls.remaskingB,
        controls.otherModel, openOther,
        otherLabel, generate, cancel, progress);
    compareRow.setAlignment(Pos.CENTER_LEFT);
    Label resample = new Label("Changed temperature or top-k? The trace keeps only each step's"
        + " top five, so the effect needs a re-run: press Generate again (same seed).");
    resample.getStyleClass().add("intro");
    resample.setWrapText(true);
    resample.setId("resampleHint");
    // only after a run was recorded and a setting it cannot replay changed since
    resample.setVisible(false);
    resample.managedProperty().bind(resample.visibleProperty());
    generate.addEventHandler(javafx.event.ActionEvent.ACTION, e -> resample.setVisible(false));
    for (Spinner<?> sp : List.of(controls.topK, controls.topP, controls.temperature)) {
      sp.valueProperty().addListener((o, was, now) -> resample.setVisible(recorded()));
    }
    controls.sampling.valueProperty().addListener((o, was, now) -> resample.setVisible(
        recorded()));
    Button frontierButton = new Button("Frontier…");
    frontierButton.setId("frontierButton");
    frontierButton.setTooltip(new javafx.scene.control.Tooltip("Which sampler settings trade"
        + " quality for variety: a sweep measured on one seed, the Pareto front marked"));
    frontierButton.disableProperty().bind(model.modelProperty().isNull());
    frontierButton.setOnAction(e -> frontier(session));
    Button stepsButton = new Button("Accuracy by steps…");
    stepsButton.setId("stepsCurveButton");
    stepsButton.setTooltip(new javafx.scene.control.Tooltip("How many denoising steps the"
        + " answers need: held-out prompts answered at each step count, exact accuracy as a"
        + " curve"));
    stepsButton.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
        () -> model.modelProperty().get() != null && model.modelProperty().get().answers(),
        model.modelProperty()));
    stepsButton.managedProperty().bind(stepsButton.visibleProperty());
    stepsButton.setOnAction(e -> stepsCurve(session));
    Button compareButton = new Button("Compare checkpoints…");
    compareButton.setId("compareCheckpointsButton");
    compareButton.setTooltip(new javafx.scene.control.Tooltip("Checkpoints side by side on the"
        + " same held-out prompts and seed: method, parameters, training time, accuracy,"
        + " answers a second"));
    compareButton.setOnAction(e -> compareCheckpoints(session));
    HBox modelRow = new HBox(8, modelLabel, follow, frontierButton, stepsButton,
        compareButton);
    modelRow.setAlignment(Pos.CENTER_LEFT);
    VBox top = new VBox(8, modelRow, settings, compareRow, resample);
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);

    setCenter(centre());
    addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
  }

  private FrontierWindow frontier;
  private String frontierSource;

  /** Opens the frontier window of the open model (the same one again for the same model). */
  private void frontier(AppSession session) {
    var m = model.modelProperty().get();
    if (m == null) {
      return;
    }
    if (frontier == null || !m.source().equals(frontierSource)) {
      frontier = new FrontierWindow(session, m, getScene().getWindow());
      frontierSource = m.source();
    }
    frontier.show();
  }

  private CompareWindow compare;

  /**
   * Opens the comparison window, listing the open model's folder and the compared model's
   * (model B) when they are checkpoints on disk.
   */
  private void compareCheckpoints(AppSession session) {
    if (compare == null) {
      compare = new CompareWindow(session, List.of(), getScene().getWindow());
    }
    var m = model.modelProperty().get();
    if (m != null && checkpointFolder(m.source())) {
      compare.add(java.nio.file.Path.of(m.source()));
    }
    if (session.compareSource() != null) {
      compare.add(session.compareSource());
    }
    compare.show();
  }

  private static boolean checkpointFolder(String source) {
    try {
      return java.nio.file.Files.isRegularFile(java.nio.file.Path.of(source).resolve(
          "config.json"));
    } catch (java.nio.file.InvalidPathException e) {
      return false; // a run's name, not a folder
    }
  }

  private StepsCurveWindow stepsCurve;
  private String stepsCurveSource;

  /** Opens the accuracy-by-steps window of the open model (the same one for the same model). */
  private void stepsCurve(AppSession session) {
    var m = model.modelProperty().get();
    if (m == null || !m.answers()) {
      return;
    }
    if (stepsCurve == null || !m.source().equals(stepsCurveSource)) {
      stepsCurve = new StepsCurveWindow(session, m, getScene().getWindow(), controls::a,
          () -> controls.multiPass.isSelected());
      stepsCurveSource = m.source();
    }
    stepsCurve.show();
  }

  /** Whether a denoising run has been recorded (the hint about re-running applies to it). */
  private boolean recorded() {
    List<?> traces = model.tracesAProperty().get();
    return traces != null && !traces.isEmpty();
  }

  private Node centre() {
    scrubber.setId("stepScrubber");
    scrubber.setMajorTickUnit(1);
    scrubber.setMinorTickCount(0);
    scrubber.setSnapToTicks(true);
    scrubber.setBlockIncrement(1);
    scrubber.valueProperty().addListener((o, a, b) -> model.setStep((int) Math.round(
        b.doubleValue())));
    Label stepLabel = new Label("step – / –");
    stepLabel.setId("stepLabel");
    stepLabel.setMinWidth(110);
    Button play = new Button("Play");
    play.setId("playButton");
    play.setOnAction(e -> togglePlay(play));
    ChoiceBox<String> speed = new ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(
        "½×", "1×", "2×", "4×"));
    speed.setValue("1×");
    speed.setId("speedChoice");
    speed.valueProperty().addListener((o, a, b) -> player.setRate(switch (b) {
      case "½×" -> 0.5;
      case "2×" -> 2;
      case "4×" -> 4;
      default -> 1;
    }));
    player.getKeyFrames().add(new KeyFrame(Duration.millis(250), e -> {
      if (model.stepProperty().get() >= model.stepsProperty().get()) {
        player.stop();
        play.setText("Play");
      } else {
        model.moveStep(1);
      }
    }));
    player.setCycleCount(Timeline.INDEFINITE);
    Button first = button("|◀", "firstStepButton", () -> model.setStep(0));
    Button back = button("◀", "prevStepButton", () -> model.moveStep(-1));
    Button next = button("▶", "nextStepButton", () -> model.moveStep(1));
    Button last = button("▶|", "lastStepButton", () -> model.setStep(model.stepsProperty().get()));
    Button prevSample = button("‹ sample", "prevSampleButton",
        () -> model.setSample(model.sampleProperty().get() - 1));
    Button nextSample = button("sample ›", "nextSampleButton",
        () -> model.setSample(model.sampleProperty().get() + 1));
    Label sampleLabel = new Label();
    HBox timeline = new HBox(8, play, speed, first, back, scrubber, next, last, stepLabel,
        prevSample, sampleLabel, nextSample);
    HBox.setHgrow(scrubber, Priority.ALWAYS);
    timeline.setAlignment(Pos.CENTER_LEFT);

    Label labelA = new Label("Press Generate: every step of the run is recorded, then scrub"
        + " through it here (←/→, Shift for ten, Home/End, Space to play).");
    Label labelB = new Label();
    labelB.visibleProperty().bind(controls.compare.selectedProperty());
    chipsB.visibleProperty().bind(model.tracesBProperty().map(l -> !l.isEmpty()));
    chipsB.managedProperty().bind(chipsB.visibleProperty());
    Label finalText = new Label();
    finalText.setId("finalTextLabel");
    finalText.setWrapText(true);
    Label verdict = new Label();
    verdict.setId("verdictLabel");
    verdict.textProperty().bind(model.verdictProperty());
    verdict.setWrapText(true);
    exports = new DenoiseExports(model, chipsA);
    heatmap.setOnStep(model::setStep);
    Label heatTitle = new Label(heatCaption(model.modelProperty().get()));
    heatTitle.setId("heatmapCaption");
    heatTitle.getStyleClass().add("intro");
    model.modelProperty().addListener((o, a, m) -> heatTitle.setText(heatCaption(m)));

    VBox views = new VBox(6, labelA, chipsA, labelB, chipsB, finalText, verdict, heatTitle,
        heatmap, exports);
    ScrollPane scroll = new ScrollPane(views);
    scroll.setFitToWidth(true);
    heatmap.widthProperty().bind(scroll.widthProperty().subtract(30));

    Runnable redraw = () -> {
      int s = model.stepProperty().get();
      var a = model.current(false);
      var b = model.current(true);
      chipsA.show(a, s);
      chipsB.show(b, s);
      heatmap.show(a, s);
      scrubber.setMax(model.stepsProperty().get());
      scrubber.setValue(s);
      stepLabel.setText(a == null ? "step – / –" : "step " + s + " / " + a.stepCount());
      if (a != null) {
        labelA.setText("A: " + a.settings());
      }
      labelB.setText(b == null ? "" : "B: " + b.settings());
      finalText.setText(a == null ? "" : "Final text: " + a.finalText());
      int n = model.tracesAProperty().get().size();
      sampleLabel.setText(n == 0 ? "" : (model.sampleProperty().get() + 1) + " / " + n);
    };
    model.stepProperty().addListener((o, a, b) -> redraw.run());
    model.sampleProperty().addListener((o, a, b) -> redraw.run());
    model.tracesAProperty().addListener((o, a, b) -> redraw.run());
    return new VBox(8, timeline, scroll) {
      {
        VBox.setVgrow(scroll, Priority.ALWAYS);
      }
    };
  }

  private void keys(KeyEvent e) {
    if (e.getTarget() instanceof TextField || e.getTarget() instanceof Spinner<?>) {
      return;
    }
    int big = e.isShiftDown() ? 10 : 1;
    switch (e.getCode()) {
      case LEFT -> model.moveStep(-big);
      case RIGHT -> model.moveStep(big);
      case HOME -> model.setStep(0);
      case END -> model.setStep(model.stepsProperty().get());
      case SPACE -> togglePlay((Button) lookup("#playButton"));
      default -> {
        return;
      }
    }
    e.consume();
  }

  private void togglePlay(Button play) {
    if (player.getStatus() == javafx.animation.Animation.Status.RUNNING) {
      player.stop();
      play.setText("Play");
    } else {
      if (model.stepProperty().get() >= model.stepsProperty().get()) {
        model.setStep(0);
      }
      player.play();
      play.setText("Pause");
    }
  }

  private void generate() {
    long s;
    try {
      s = Long.parseLong(controls.seed.getText().strip());
    } catch (NumberFormatException e) {
      Errors.show("Seed must be a whole number, got \"" + controls.seed.getText() + "\"");
      return;
    }
    model.generate(new DenoiseViewModel.Request(controls.a(), controls.b(),
        controls.length.getValue(), controls.prefix.getText(), s,
        controls.compare.isSelected() && controls.otherModel.isSelected(),
        controls.multiPass.isVisible() && controls.multiPass.isSelected()));
  }

  /** The settings and recorded traces, for a saved session. */
  public LabSession.Denoise state() {
    return controls.state(LabSession.traces(model.tracesAProperty().get()),
        LabSession.traces(model.tracesBProperty().get()));
  }

  /** Puts a saved session's settings into the controls and shows its traces. */
  public void restore(LabSession.Denoise d) {
    if (d == null) {
      return;
    }
    controls.restore(d);
    model.show(LabSession.denoiseTraces(d.tracesA()), LabSession.denoiseTraces(d.tracesB()));
  }

  /** Renders every step of the shown sample and writes them as an animated GIF (FX thread). */
  public void writeGif(Path file) throws IOException {
    exports.writeGif(file);
  }

  private static Button button(String text, String id, Runnable action) {
    Button b = new Button(text);
    b.setId(id);
    b.setOnAction(e -> action.run());
    return b;
  }

  public DenoiseViewModel model() {
    return model;
  }

  public TraceChips chips(boolean b) {
    return b ? chipsB : chipsA;
  }

  /** What the heatmap's colours mean for the family of {@code m}. */
  static String heatCaption(dev.diffulab.core.snapshot.ModelSnapshot m) {
    if (m != null && m.family().noisesWholeText()) {
      return "Confidence by position (rows) and step (columns): what each step's estimate reads"
          + " at every position, orange outline below 30 % confidence; click to jump";
    }
    return "Confidence by position (rows) and step (columns) — grey: masked, orange outline:"
        + " committed below 30 % confidence; click to jump";
  }
}
