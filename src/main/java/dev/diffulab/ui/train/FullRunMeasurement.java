package dev.diffulab.ui.train;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.TrainProgress;
import dev.diffulab.ui.common.AppSession;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Measuring what a full run costs before offering it: a few real steps timed on the engine's
 * device, what the measurement is doing meanwhile, and the offer it ends in (or nothing, if it
 * was cancelled or failed).
 */
final class FullRunMeasurement {
  /** Steps timed before a full run is offered. */
  static final int MEASURED_STEPS = 3;

  private final AppSession session;
  private final ReadOnlyBooleanWrapper measuring = new ReadOnlyBooleanWrapper(false);
  private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
  private final ReadOnlyObjectWrapper<FullRunOffer> offer = new ReadOnlyObjectWrapper<>();
  private String measureId = "";
  /** The engine task measuring, or the last one. */
  private CompletableFuture<?> job;

  FullRunMeasurement(AppSession session) {
    this.session = session;
  }

  void measure(RunConfig full) {
    offer.set(null);
    measuring.set(true);
    text.set("building the " + full.name() + " model…");
    String id = "measure-" + System.nanoTime();
    measureId = id;
    job = session.deliver("Measuring a full run",
        session.service().measure(id, full, MEASURED_STEPS), cost -> {
          offer.set(new FullRunOffer(full, cost)); // before measuring ends: the offer is there
          measuring.set(false);
        });
    job.whenComplete((r, e) -> {
      if (e != null) {
        session.ui().execute(() -> measuring.set(false));
      }
    });
  }

  /** Stops measuring (that task, never another); no offer is made. */
  void cancel() {
    if (measuring.get()) {
      session.service().cancel(job);
    }
  }

  void clearOffer() {
    offer.set(null);
  }

  /** Shows the measurement's progress; false when {@code p} belongs to something else. */
  boolean accept(TrainProgress p) {
    if (!p.runId().equals(measureId)) {
      return false;
    }
    text.set(p.message() + "…");
    return true;
  }

  ReadOnlyBooleanProperty measuringProperty() {
    return measuring.getReadOnlyProperty();
  }

  /** What the measurement is doing: "timing step 2 of 3". */
  ReadOnlyStringProperty textProperty() {
    return text.getReadOnlyProperty();
  }

  /** The full run on offer once its steps are measured, or null. */
  ReadOnlyObjectProperty<FullRunOffer> offerProperty() {
    return offer.getReadOnlyProperty();
  }
}
