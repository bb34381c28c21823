package dev.diffulab.ui.train;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.EntropyCurve;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.core.snapshot.LossPoint;
import dev.diffulab.core.snapshot.NoiseLevelLosses;
import dev.diffulab.core.snapshot.SamplePreview;
import dev.diffulab.core.snapshot.TrainProgress;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.Notices;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Train workspace's state and commands: start a quick test, a measured full run or the edited
 * settings ({@link ConfigViewModel}); pause, resume, stop; the step label, progress and
 * throughput; the current run's curves and samples ({@link RunCurves}); the runs of this
 * session. No scene-graph code.
 */
public final class TrainViewModel {
  private final AppSession session;
  private final ConfigViewModel config;
  private final ReadOnlyObjectWrapper<Method> method = new ReadOnlyObjectWrapper<>(
      Method.DEFAULT);
  private final Path runsDir;
  private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
  private final FullRunMeasurement measurement;
  private final javafx.beans.binding.BooleanBinding busyBinding;
  private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper("Step – / –");
  private final ReadOnlyStringWrapper statsText = new ReadOnlyStringWrapper("");
  private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
  private final RunHistory history = new RunHistory();
  private final RunCurves curves = new RunCurves(history);
  private final ObservableList<RunHistory.Run> runs = FXCollections.observableArrayList();
  private final ReadOnlyObjectWrapper<RunHistory.Run> overlay = new ReadOnlyObjectWrapper<>();
  private String runId = "";

  public TrainViewModel(AppSession session, Path runsDir) {
    this.session = session;
    this.runsDir = runsDir;
    this.measurement = new FullRunMeasurement(session);
    this.busyBinding = running.or(measurement.measuringProperty());
    RunConfig initial = initialSettings(session);
    this.config = new ConfigViewModel(initial,
        c -> session.showData(c.data(), c.seed()),
        session.ui());
    method.set(config.method()); // restored settings may name CDCD
    task.set(ShippedConfigs.Task.of(initial));
    session.dispatcher().subscribe(TrainProgress.class, this::accept);
    session.dispatcher().subscribeStream(LossPoint.class, curves::acceptLoss);
    session.dispatcher().subscribeStream(EvalPoint.class, curves::acceptEval);
    session.dispatcher().subscribeStream(dev.diffulab.core.snapshot.AccuracyPoint.class,
        curves::acceptAccuracy);
    session.dispatcher().subscribe(NoiseLevelLosses.class, curves::acceptLevels);
    session.dispatcher().subscribe(SamplePreview.class, curves::acceptSamples);
    session.dispatcher().subscribe(EntropyCurve.class, curves::acceptEntropy);
  }

  /** The settings of the last session, or the quick test's when there are none. */
  private static RunConfig initialSettings(AppSession session) {
    try {
      return SavedSettings.load().orElseGet(() -> ShippedConfigs.get(
          ShippedConfigs.Kind.QUICK_TEST, Method.DEFAULT));
    } catch (InputException e) {
      // shown once the window is up; the quick test's settings stand in
      session.ui().execute(() -> Errors.show("The saved Train settings were not used: "
          + e.getMessage()));
      return ShippedConfigs.get(ShippedConfigs.Kind.QUICK_TEST, Method.DEFAULT);
    }
  }

  /** Keeps the Train settings for the next session (valid ones only). */
  public void saveSettings() {
    try {
      SavedSettings.save(config);
    } catch (java.io.IOException e) {
      java.util.logging.Logger.getLogger(TrainViewModel.class.getName()).warning(
          "the Train settings were not kept: " + e);
    }
  }

  /**
   * Quick test: the named quick-test config of the selected method on the embedded corpus, no
   * other input.
   */
  public void quickTest() {
    startShipped(ShippedConfigs.Kind.QUICK_TEST);
  }

  /** Train: the config as edited in the workspace; an invalid field is reported, not run. */
  public void train() {
    try {
      start(config.build());
    } catch (InputException e) {
      Errors.show(e.getMessage());
    }
  }

  private void startShipped(ShippedConfigs.Kind kind) {
    try {
      start(ShippedConfigs.get(kind, method.get(), task.get()));
    } catch (InputException e) {
      Errors.show(e.getMessage());
    }
  }

  /**
   * A full run and what it will cost here: the full config of the selected method, with the time
   * of a few of its steps measured on the engine's device. The offer arrives in
   * {@link #offerProperty()}; {@link #startFullRun} accepts it.
   */
  public void measureFullRun() {
    if (busy()) {
      return;
    }
    try {
      measurement.measure(ShippedConfigs.get(ShippedConfigs.Kind.FULL_RUN, method.get(),
          task.get()));
    } catch (InputException e) {
      Errors.show(e.getMessage());
    }
  }

  /** The engine task of the training run, or the last one. */
  private java.util.concurrent.CompletableFuture<?> runJob;

  /** Stops measuring (that task, never another); no offer is made. */
  public void cancelMeasuring() {
    measurement.cancel();
  }

  /** Starts the full run that was offered. */
  public void startFullRun(FullRunOffer accepted) {
    measurement.clearOffer();
    start(accepted.config());
  }

  /** A duration as DiffuLab writes it everywhere ({@link dev.diffulab.core.text.Durations}). */
  static String duration(long millis) {
    return dev.diffulab.core.text.Durations.format(millis);
  }

  public ReadOnlyBooleanProperty measuringProperty() {
    return measurement.measuringProperty();
  }

  /** What the measurement is doing: "timing step 2 of 3". */
  public ReadOnlyStringProperty measureTextProperty() {
    return measurement.textProperty();
  }

  /** The full run on offer once its steps are measured, or null. */
  public ReadOnlyObjectProperty<FullRunOffer> offerProperty() {
    return measurement.offerProperty();
  }

  private boolean busy() {
    return running.get() || measurement.measuringProperty().get();
  }

  /** True while a run trains or a full run is being measured: no other run can start. */
  public javafx.beans.binding.BooleanExpression busyProperty() {
    return busyBinding;
  }

  /** The configuration the Train button runs. */
  public ConfigViewModel config() {
    return config;
  }

  public void setMethod(Method m) {
    if (!running.get()) {
      method.set(m);
      config.setMethod(m);
      if (!task.get().fits(m)) {
        setTask(ShippedConfigs.Task.MULTIPLICATION);
      }
    }
  }

  private final javafx.beans.property.ReadOnlyObjectWrapper<ShippedConfigs.Task> task = new javafx.beans.property.ReadOnlyObjectWrapper<>(
      ShippedConfigs.Task.STORIES);

  /**
   * What Quick test and Full run learn: stories or the multiplication task. The settings take
   * that task's quick-test data (corpus, tokenizer, sequence length, sampler) so Train runs it
   * too; a family that cannot learn it gives way to masked diffusion.
   */
  public void setTask(ShippedConfigs.Task t) {
    if (running.get() || t == null || t == task.get()) {
      return;
    }
    task.set(t);
    if (!t.fits(method.get())) {
      setMethod(Method.DEFAULT);
    }
    try {
      config.load(ShippedConfigs.get(ShippedConfigs.Kind.QUICK_TEST, method.get(), t));
    } catch (RuntimeException e) {
      Errors.show(e.getMessage());
    }
  }

  public ReadOnlyObjectProperty<ShippedConfigs.Task> taskProperty() {
    return task.getReadOnlyProperty();
  }

  public Method method() {
    return method.get();
  }

  /** The method of the selected quick test, or of the run shown. */
  public ReadOnlyObjectProperty<Method> methodProperty() {
    return method.getReadOnlyProperty();
  }

  public void start(RunConfig config) {
    if (busy()) {
      return;
    }
    runId = config.name() + "-" + LocalDateTime.now().format(
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out = runsDir.resolve(runId);
    history.startRun();
    method.set(config.method());
    task.set(ShippedConfigs.Task.of(config));
    curves.reset(runId);
    running.set(true);
    paused.set(false);
    stepText.set("Step 0 / " + config.train().steps());
    statsText.set("starting…");
    progress.set(0);
    String id = runId;
    // the model being trained is lent to Masking and Denoise for the length of the run
    runJob = session.deliver("Training " + config.name(),
        session.service().train(id, config, out), result -> {
          session.dispatcher().deliverNow(); // the run's last points belong to its curve
          history.finish(id, config.name(), config.method().id(),
              result.state().name().toLowerCase(), result.step(), result.metrics(),
              result.checkpoint());
          runs.setAll(history.runs());
          Notices.done(result.state() == dev.diffulab.core.snapshot.TrainProgress.State.STOPPED
              ? "Run stopped"
              : "Run finished",
              !result.note().isEmpty()
                  ? result.note()
                  : config.name() + " · step " + result.step() + (result.checkpoint() == null
                      ? ""
                      : " · checkpoint " + result.checkpoint().getFileName()),
              result.checkpoint());
          if (result.checkpoint() != null) {
            // the finished run becomes the model of the Masking and Denoise workspaces
            session.openCheckpoint(result.checkpoint());
          }
        });
    runJob.whenComplete((r, e) -> session.ui().execute(() -> {
      if (e != null) {
        session.dispatcher().deliverNow();
        history.finish(id, config.name(), config.method().id(),
            e instanceof java.util.concurrent.CancellationException ? "cancelled" : "failed",
            curves.lastStep(), java.util.Map.of(), null);
        runs.setAll(history.runs());
        if (!(e instanceof java.util.concurrent.CancellationException)) {
          Notices.failed("Run failed", Errors.sentence("Training " + config.name(), e));
        }
      }
      running.set(false);
      paused.set(false);
      session.service().setPaused(false);
    }));
  }

  public void togglePause() {
    if (!running.get()) {
      return;
    }
    boolean now = !paused.get();
    paused.set(now);
    session.service().setPaused(now);
  }

  /** Stops the run (that task, never another) at its next step; it keeps a checkpoint. */
  public void stop() {
    if (running.get()) {
      session.service().cancel(runJob);
    }
  }

  private long lastProgressShown;

  void accept(TrainProgress p) {
    if (measurement.accept(p)) {
      return;
    }
    if (!p.runId().equals(runId)) {
      return;
    }
    // a running step counter reads fine at four updates a second; each update costs a layout
    // and a repaint that the training run pays for on a 2-core machine
    long now = System.nanoTime();
    if (p.state() == TrainProgress.State.RUNNING && now - lastProgressShown < 250_000_000L) {
      return;
    }
    lastProgressShown = now;
    stepText.set("Step " + p.step() + " / " + p.totalSteps());
    progress.set(p.totalSteps() == 0 ? 0 : (double) p.step() / p.totalSteps());
    String state = switch (p.state()) {
      case STARTING -> p.message();
      case RUNNING -> "";
      case PAUSED -> "paused · ";
      case FINISHED -> "finished · ";
      case STOPPED -> "stopped, checkpoint kept · ";
      case FAILED -> "failed: " + p.message() + " · ";
    };
    if (p.state() == TrainProgress.State.STARTING) {
      statsText.set(state);
      return;
    }
    statsText.set(state + "elapsed " + dev.diffulab.core.text.Durations.clock(p.elapsedMillis())
        + (p.etaMillis() > 0
            ? " · ETA " + dev.diffulab.core.text.Durations.clock(p.etaMillis())
            : "")
        + String.format(" · %,.0f tokens/s · %s", p.tokensPerSecond(), p.device()));
  }

  /** Opens a finished run's checkpoint as the model of the Masking and Denoise workspaces. */
  public void select(RunHistory.Run run) {
    if (run != null && run.checkpoint() != null) {
      session.openCheckpoint(run.checkpoint());
    }
  }

  /** Draws a finished run's loss curve over the current chart (null clears it). */
  public void overlay(RunHistory.Run run) {
    overlay.set(run);
  }

  public ObservableList<RunHistory.Run> runs() {
    return runs;
  }

  public ReadOnlyObjectProperty<RunHistory.Run> overlayProperty() {
    return overlay.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty runningProperty() {
    return running.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty pausedProperty() {
    return paused.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty stepTextProperty() {
    return stepText.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty statsTextProperty() {
    return statsText.getReadOnlyProperty();
  }

  public ReadOnlyDoubleProperty progressProperty() {
    return progress.getReadOnlyProperty();
  }

  /** The current run's curves and samples. */
  public RunCurves curves() {
    return curves;
  }

  public String runId() {
    return runId;
  }
}
