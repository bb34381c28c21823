package dev.diffulab.ui.train;

import dev.diffulab.core.snapshot.EntropyCurve;
import dev.diffulab.core.snapshot.AccuracyPoint;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.core.snapshot.LossPoint;
import dev.diffulab.core.snapshot.NoiseLevelLosses;
import dev.diffulab.core.snapshot.SamplePreview;
import dev.diffulab.ui.chart.Smoother;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the current run has published, as the Train workspace draws it: loss points (raw and
 * smoothed, re-smoothed when the weight changes), evaluations, the per-noise-level losses, the
 * entropy curve (CDCD) and the preview samples. Points of any other run are ignored. Runs on the
 * FX thread; no scene-graph code.
 */
public final class RunCurves {
  /** A loss point as drawn: the raw value and its bias-corrected moving average. */
  public record LossRow(int step, double raw, double smoothed) {
  }

  /** A preview sample and, for TinyTales, the validator's first error (null: valid). */
  public record SampleRow(String text, String error, boolean judged, SamplePreview.Kind kind) {
    public boolean valid() {
      return judged && error == null;
    }
  }

  private final RunHistory history;
  private final ReadOnlyObjectWrapper<EntropyCurve> entropyCurve = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<double[][]> noiseLevels = new ReadOnlyObjectWrapper<>();
  private final ObservableList<SampleRow> samples = FXCollections.observableArrayList();
  private final List<Consumer<List<LossRow>>> lossListeners = new ArrayList<>();
  private final List<Consumer<List<EvalPoint>>> evalListeners = new ArrayList<>();
  private final List<Runnable> resetListeners = new ArrayList<>();
  private final List<Consumer<double[][]>> resmoothListeners = new ArrayList<>();
  private final List<Consumer<SamplePreview>> sampleListeners = new ArrayList<>();
  private final List<Consumer<List<AccuracyPoint>>> accuracyListeners = new ArrayList<>();
  private double smoothing = 0.9;
  private Smoother smoother = new Smoother(smoothing);
  private String runId = "";
  private int lastStep;

  RunCurves(RunHistory history) {
    this.history = history;
  }

  /** Forgets the last run's points and follows {@code id}; the reset listeners clear the charts. */
  void reset(String id) {
    runId = id;
    smoother = new Smoother(smoothing);
    samples.clear();
    lastStep = 0;
    noiseLevels.set(null);
    entropyCurve.set(null);
    resetListeners.forEach(Runnable::run);
  }

  /** The last step with a loss point in the current run. */
  int lastStep() {
    return lastStep;
  }

  void acceptLoss(List<LossPoint> points) {
    List<LossRow> rows = new ArrayList<>();
    for (LossPoint p : points) {
      if (p.runId().equals(runId)) {
        rows.add(new LossRow(p.step(), p.loss(), smoother.add(p.loss())));
        history.recordLoss(p.step(), p.loss());
        lastStep = p.step();
      }
    }
    if (!rows.isEmpty()) {
      lossListeners.forEach(l -> l.accept(rows));
    }
  }

  void acceptEval(List<EvalPoint> points) {
    List<EvalPoint> mine = points.stream().filter(p -> p.runId().equals(runId)).toList();
    if (!mine.isEmpty()) {
      evalListeners.forEach(l -> l.accept(mine));
    }
  }

  void acceptAccuracy(List<AccuracyPoint> points) {
    List<AccuracyPoint> mine = points.stream().filter(p -> p.runId().equals(runId)).toList();
    if (!mine.isEmpty()) {
      accuracyListeners.forEach(l -> l.accept(mine));
    }
  }

  /** Called with a prompt → response run's held-out accuracy points. */
  public void onAccuracy(Consumer<List<AccuracyPoint>> l) {
    accuracyListeners.add(l);
  }

  void acceptLevels(NoiseLevelLosses n) {
    if (n.runId().equals(runId)) {
      noiseLevels.set(new double[][]{n.levels(), n.loss()});
    }
  }

  void acceptEntropy(EntropyCurve c) {
    if (c.runId().equals(runId)) {
      entropyCurve.set(c);
    }
  }

  void acceptSamples(SamplePreview p) {
    if (!p.runId().equals(runId)) {
      return;
    }
    List<SampleRow> rows = new ArrayList<>();
    for (int i = 0; i < p.texts().size(); i++) {
      boolean judged = !p.errors().isEmpty();
      rows.add(new SampleRow(p.texts().get(i), judged ? p.errors().get(i) : null, judged,
          p.kind()));
    }
    samples.setAll(rows);
    sampleListeners.forEach(l -> l.accept(p));
  }

  /** Called with each preview of the current run (validity and distribution match over steps). */
  public void onSamples(Consumer<SamplePreview> l) {
    sampleListeners.add(l);
  }

  /**
   * Sets the smoothing weight (0 … 0.99) and smooths the current run's whole curve again with it;
   * the listeners of {@link #onResmooth} get the steps and the new smoothed values.
   */
  public void setSmoothing(double weight) {
    smoothing = Math.clamp(weight, 0, 0.99);
    double[][] curve = history.curve(runId);
    smoother = new Smoother(smoothing);
    double[] smoothed = new double[curve[1].length];
    for (int i = 0; i < smoothed.length; i++) {
      smoothed[i] = smoother.add(curve[1][i]); // the smoother goes on with the run's next points
    }
    resmoothListeners.forEach(l -> l.accept(new double[][]{curve[0], smoothed}));
  }

  /** Called with {steps, smoothed losses} when the smoothing weight changes. */
  public void onResmooth(Consumer<double[][]> l) {
    resmoothListeners.add(l);
  }

  public void onLoss(Consumer<List<LossRow>> l) {
    lossListeners.add(l);
  }

  public void onEval(Consumer<List<EvalPoint>> l) {
    evalListeners.add(l);
  }

  public void onReset(Runnable r) {
    resetListeners.add(r);
  }

  public ReadOnlyObjectProperty<EntropyCurve> entropyCurveProperty() {
    return entropyCurve.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<double[][]> noiseLevelsProperty() {
    return noiseLevels.getReadOnlyProperty();
  }

  public ObservableList<SampleRow> samples() {
    return samples;
  }
}
