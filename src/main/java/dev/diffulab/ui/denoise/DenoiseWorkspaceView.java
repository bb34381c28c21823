package dev.diffulab.ui.denoise;

import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.MaskSchedule;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
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
  /** What the controls do not show (remasking temperature) comes from the model's settings. */
  private SamplerConfig base = RunConfig.parse("{}", "defaults").sampler();

  private final Spinner<Integer> steps = new Spinner<>(1, 1000, 32);
  private final ChoiceBox<String> schedule = choice(MaskSchedule.class, "cosine");
  private final ChoiceBox<String> remasking = choice(SamplerConfig.Remasking.class, "ancestral");
  private final ChoiceBox<String> sampling = choice(SamplerConfig.TokenChoice.class, "nucleus");
  private final ChoiceBox<String> solver = choice(SamplerConfig.Solver.class, "euler");
  private final Spinner<Integer> topK = new Spinner<>(1, 100_000, 20);
  private final Spinner<Double> topP = new Spinner<>(0.05, 1.0, 0.9, 0.05);
  private final Spinner<Double> temperature = new Spinner<>(0.05, 5.0, 0.8, 0.05);
  private final Spinner<Integer> length = new Spinner<>(0, 4096, 0);
  private final Spinner<Integer> samples = new Spinner<>(1, 64, 4);
  private final TextField prefix = new TextField();
  private final TextField seed = new TextField("1");
  private final CheckBox compare = new CheckBox("Compare with");
  private final CheckBox otherModel = new CheckBox("other model");
  private final ChoiceBox<String> scheduleB = choice(MaskSchedule.class, "linear");
  private final ChoiceBox<String> remaskingB = choice(SamplerConfig.Remasking.class,
      "low-confidence");

  public DenoiseWorkspaceView(AppSession session) {
    setId("denoiseWorkspace");
    setPadding(new Insets(12));
    model = new DenoiseViewModel(session);
    steps.setId("stepsSpinner");
    samples.setId("samplesSpinner");
    temperature.setId("temperatureSpinner");
    seed.setId("denoiseSeedField");
    prefix.setId("prefixField");
    compare.setId("compareToggle");
    schedule.setId("scheduleChoice");
    remasking.setId("remaskingChoice");
    sampling.setId("tokenChoice");
    solver.setId("solverChoice");
    topK.setId("topKSpinner");
    topP.setId("topPSpinner");
    length.setId("lengthSpinner");
    scheduleB.setId("scheduleBChoice");
    remaskingB.setId("remaskingBChoice");
    for (Spinner<?> s : List.of(steps, topK, topP, temperature, length, samples)) {
      s.setEditable(true);
      s.setPrefWidth(85);
    }
    seed.setPrefColumnCount(6);
    prefix.setPromptText("prompt (optional)");
    prefix.setPrefColumnCount(18);
    scheduleB.disableProperty().bind(compare.selectedProperty().not());
    remaskingB.disableProperty().bind(compare.selectedProperty().not());

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
        useSettings(m.sampler());
      }
    });

    FlowPane settings = new FlowPane(8, 6, labelled("Steps", steps), labelled("Schedule",
        schedule), labelled("Remasking", remasking), labelled("Tokens", sampling),
        labelled("top-k", topK), labelled("top-p", topP), labelled("CDCD solver", solver),
        labelled("Temperature", temperature),
        labelled("Length (0 = corpus)", length), labelled("Samples", samples),
        labelled("Seed", seed), prefix);
    otherModel.setId("compareModelToggle");
    otherModel.disableProperty().bind(compare.selectedProperty().not());
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
        compare.setSelected(true);
        otherModel.setSelected(true);
      }
    });
    Button openOther = new Button("Other model…");
    openOther.setId("openCompareModelButton");
    openOther.disableProperty().bind(otherModel.selectedProperty().not());
    openOther.setOnAction(e -> {
      javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
      dc.setTitle("Checkpoint to compare with");
      File d = dc.showDialog(getScene().getWindow());
      if (d != null) {
        session.openCompareCheckpoint(d.toPath());
      }
    });
    HBox compareRow = new HBox(8, compare, scheduleB, remaskingB, otherModel, openOther,
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
    for (Spinner<?> sp : List.of(topK, topP, temperature)) {
      sp.valueProperty().addListener((o, was, now) -> resample.setVisible(recorded()));
    }
    sampling.valueProperty().addListener((o, was, now) -> resample.setVisible(recorded()));
    HBox modelRow = new HBox(8, modelLabel, follow);
    modelRow.setAlignment(Pos.CENTER_LEFT);
    VBox top = new VBox(8, modelRow, settings, compareRow, resample);
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);

    setCenter(centre());
    addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
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
    labelB.visibleProperty().bind(compare.selectedProperty());
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
    Label heatTitle = new Label("Confidence by position (rows) and step (columns) — grey: masked,"
        + " orange outline: committed below 30 % confidence; click to jump");
    heatTitle.getStyleClass().add("intro");

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
      s = Long.parseLong(seed.getText().strip());
    } catch (NumberFormatException e) {
      Errors.show("Seed must be a whole number, got \"" + seed.getText() + "\"");
      return;
    }
    SamplerConfig a = settings(schedule.getValue(), remasking.getValue());
    SamplerConfig b = compare.isSelected()
        ? settings(scheduleB.getValue(), remaskingB.getValue())
        : null;
    model.generate(new DenoiseViewModel.Request(a, b, length.getValue(), prefix.getText(), s,
        compare.isSelected() && otherModel.isSelected()));
  }

  /** The settings and recorded traces, for a saved session. */
  public LabSession.Denoise state() {
    return new LabSession.Denoise(steps.getValue(), schedule.getValue(), remasking.getValue(),
        sampling.getValue(), solver.getValue(), topK.getValue(), topP.getValue(),
        temperature.getValue(), length.getValue(), samples.getValue(), seed.getText(),
        prefix.getText(), compare.isSelected(), scheduleB.getValue(), remaskingB.getValue(),
        otherModel.isSelected(), LabSession.traces(model.tracesAProperty().get()),
        LabSession.traces(model.tracesBProperty().get()));
  }

  /** Puts a saved session's settings into the controls and shows its traces. */
  public void restore(LabSession.Denoise d) {
    if (d == null) {
      return;
    }
    steps.getValueFactory().setValue(Math.clamp(d.steps(), 1, 1000));
    pick(schedule, d.schedule());
    pick(remasking, d.remasking());
    pick(sampling, d.sampling());
    pick(solver, d.solver());
    pick(scheduleB, d.scheduleB());
    pick(remaskingB, d.remaskingB());
    topK.getValueFactory().setValue(Math.clamp(d.topK(), 1, 100_000));
    topP.getValueFactory().setValue(Math.clamp(d.topP(), 0.05, 1.0));
    temperature.getValueFactory().setValue(Math.clamp(d.temperature(), 0.05, 5.0));
    length.getValueFactory().setValue(Math.clamp(d.length(), 0, 4096));
    samples.getValueFactory().setValue(Math.clamp(d.samples(), 1, 64));
    seed.setText(d.seed() == null ? "1" : d.seed());
    prefix.setText(d.prefix() == null ? "" : d.prefix());
    compare.setSelected(d.compare());
    otherModel.setSelected(d.otherModel());
    model.show(LabSession.denoiseTraces(d.tracesA()), LabSession.denoiseTraces(d.tracesB()));
  }

  /** Selects {@code value} when the box offers it (a session from another version may not). */
  private static void pick(ChoiceBox<String> box, String value) {
    if (value != null && box.getItems().contains(value)) {
      box.setValue(value);
    }
  }

  /** Puts a model's sampler settings into the controls (setting A). */
  private void useSettings(SamplerConfig c) {
    base = c;
    steps.getValueFactory().setValue(Math.clamp(c.steps(), 1, 1000));
    schedule.setValue(c.schedule().id());
    remasking.setValue(c.remasking().id());
    sampling.setValue(c.tokenChoice().id());
    solver.setValue(c.solver().id());
    topK.getValueFactory().setValue(Math.max(1, c.topK()));
    topP.getValueFactory().setValue(c.topP());
    temperature.getValueFactory().setValue(c.temperature());
    length.getValueFactory().setValue(c.length());
  }

  private SamplerConfig settings(String sched, String remask) {
    return base.withSolver(ConfigName.parse(SamplerConfig.Solver.class, "solver",
        solver.getValue())).with(steps.getValue(),
            ConfigName.parse(MaskSchedule.class, "schedule", sched),
            ConfigName.parse(SamplerConfig.Remasking.class, "remasking", remask),
            ConfigName.parse(SamplerConfig.TokenChoice.class, "sampling", sampling.getValue()),
            topK.getValue(), topP.getValue(), temperature.getValue(), length.getValue(),
            samples.getValue());
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

  private static HBox labelled(String label, Node control) {
    HBox h = new HBox(4, new Label(label), control);
    h.setAlignment(Pos.CENTER_LEFT);
    return h;
  }

  private static <E extends Enum<E> & ConfigName> ChoiceBox<String> choice(Class<E> type,
      String value) {
    ChoiceBox<String> c = new ChoiceBox<>(javafx.collections.FXCollections.observableArrayList(
        ConfigName.ids(type)));
    c.setValue(value);
    return c;
  }

  public DenoiseViewModel model() {
    return model;
  }

  public TraceChips chips(boolean b) {
    return b ? chipsB : chipsA;
  }
}
