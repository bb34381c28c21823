package dev.diffulab.ui.common;

import dev.diffulab.core.snapshot.ModelSnapshot;
import dev.diffulab.core.snapshot.TrainProgress;
import dev.diffulab.core.snapshot.TrainingModel;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Which model a workspace shows: the opened checkpoint, or — while a run trains and following
 * is on ({@link AppSession#followTrainingProperty()}) — the model being trained, labelled
 * "training run · step 1,200". {@link #onRefresh} runs when the shown model changed, and while
 * following a run at most once every {@link #REFRESH_MILLIS} as its steps advance, so a
 * workspace can redo its predictions and watch the blanks fill in.
 */
public final class ModelChoice {
  /** How often a followed run's predictions are redone, at most. */
  public static final long REFRESH_MILLIS = 3000;

  private final AppSession session;
  private final LongSupplier clock;
  private final ReadOnlyObjectWrapper<ModelSnapshot> current = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyStringWrapper label = new ReadOnlyStringWrapper("No model open");
  private final ReadOnlyBooleanWrapper training = new ReadOnlyBooleanWrapper(false);
  private ModelSnapshot opened;
  private ModelSnapshot live;
  private String liveRun;
  private int liveStep;
  private int refreshedStep = -1;
  private long refreshedAt;
  private Runnable onRefresh = () -> {
  };

  /** The model opened for this workspace (not a followed training run), or null. */
  public ModelSnapshot opened() {
    return opened;
  }

  public ModelChoice(AppSession session) {
    this(session, System::currentTimeMillis);
  }

  ModelChoice(AppSession session, LongSupplier clock) {
    this.session = session;
    this.clock = clock;
    session.dispatcher().subscribe(ModelSnapshot.class, m -> {
      opened = m;
      update(true);
    });
    session.dispatcher().subscribe(TrainingModel.class, t -> {
      live = t.model();
      liveRun = t.runId();
      liveStep = 0;
      training.set(live != null);
      update(true);
    });
    session.dispatcher().subscribe(TrainProgress.class, p -> {
      if (live != null && p.runId().equals(liveRun)) {
        liveStep = p.step();
        if (following()) {
          label.set(liveLabel());
          long now = clock.getAsLong();
          if (liveStep != refreshedStep && now - refreshedAt >= REFRESH_MILLIS) {
            refreshedStep = liveStep;
            refreshedAt = now;
            onRefresh.run();
          }
        }
      }
    });
    session.followTrainingProperty().addListener((o, was, now) -> update(true));
  }

  /** Called when the shown model changed or a followed run moved on. */
  public void onRefresh(Runnable r) {
    onRefresh = r;
  }

  private boolean following() {
    return live != null && session.followTrainingProperty().get();
  }

  private String liveLabel() {
    return String.format("Model: training run · step %,d", liveStep);
  }

  private void update(boolean changed) {
    ModelSnapshot next = following() ? live : opened;
    current.set(next);
    label.set(next == null
        ? "No model open"
        : following()
            ? liveLabel()
            : "Model: " + next.summary());
    if (changed) {
      refreshedStep = liveStep;
      refreshedAt = clock.getAsLong();
      onRefresh.run();
    }
  }

  /** The model the workspace shows, or null. */
  public ReadOnlyObjectProperty<ModelSnapshot> currentProperty() {
    return current.getReadOnlyProperty();
  }

  /** "Model: demo · masked diffusion · …", "Model: training run · step 1,200", "No model open". */
  public ReadOnlyStringProperty labelProperty() {
    return label.getReadOnlyProperty();
  }

  /** True while a run lends its model (the follow toggle matters only then). */
  public ReadOnlyBooleanProperty trainingProperty() {
    return training.getReadOnlyProperty();
  }

  /** Whether the shown model is the training run's. */
  public boolean followingRun() {
    return following();
  }

  /**
   * "Follow training" — shown while a run trains, bound to the session's shared setting: the
   * workspace shows the model being trained (on by default) or the opened checkpoint.
   */
  public javafx.scene.control.CheckBox followToggle(String id) {
    javafx.scene.control.CheckBox follow = new javafx.scene.control.CheckBox("Follow training");
    follow.setId(id);
    follow.setMnemonicParsing(false);
    follow.selectedProperty().bindBidirectional(session.followTrainingProperty());
    follow.visibleProperty().bind(training);
    follow.managedProperty().bind(follow.visibleProperty());
    follow.setTooltip(new javafx.scene.control.Tooltip("While a run trains, show the model being"
        + " trained, refreshed every few seconds as the loss falls. Off: the opened"
        + " checkpoint."));
    return follow;
  }
}
