package dev.diffulab.ui.shell;

import dev.diffulab.core.snapshot.EngineStatus;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** What the status bar shows, derived from engine status snapshots. No scene-graph code. */
public final class ShellViewModel {
  private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper("Loading engine…");
  private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper("device: …");
  private final ReadOnlyStringWrapper versions = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper memory = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(true);
  private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(true);
  private EngineStatus last = EngineStatus.loading();

  public void accept(EngineStatus s) {
    last = s;
    state.set(s.describe());
    if (!s.device().isEmpty()) {
      device.set("Device: " + s.device());
    }
    if (!s.engineVersion().isEmpty()) {
      versions.set("DJL " + s.djlVersion() + " · " + s.engine() + " " + s.engineVersion());
    }
    memory.set(String.format("Memory %.0f MB", s.memoryBytes() / 1e6));
    if (!s.message().isEmpty()) {
      message.set(s.message());
    }
    busy.set(s.state() == EngineStatus.State.LOADING || s.state() == EngineStatus.State.BUSY);
    loading.set(s.state() == EngineStatus.State.LOADING);
  }

  public void tell(String m) {
    message.set(m);
  }

  public EngineStatus last() {
    return last;
  }

  public ReadOnlyStringProperty stateProperty() {
    return state.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty deviceProperty() {
    return device.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty versionsProperty() {
    return versions.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty memoryProperty() {
    return memory.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty messageProperty() {
    return message.getReadOnlyProperty();
  }

  /** True while the engine starts (PyTorch loading): the one wait with no progress of its own. */
  public ReadOnlyBooleanProperty loadingProperty() {
    return loading.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty busyProperty() {
    return busy.getReadOnlyProperty();
  }
}
