package dev.diffulab.core.snapshot;

/**
 * What the status bar shows: the engine's state, the device it actually runs on, the library
 * versions and the memory in use.
 *
 * @param task what the engine is busy with, or empty
 * @param message the last thing worth telling a person (an error, a fallback), or empty
 */
public record EngineStatus(State state, String device, String engine, String engineVersion,
    String djlVersion, long memoryBytes, String task, String message) implements Snapshot {

  public enum State {
    LOADING, READY, BUSY, FAILED, CLOSED
  }

  public static EngineStatus loading() {
    return new EngineStatus(State.LOADING, "", "", "", "", 0, "", "");
  }

  public String describe() {
    return switch (state) {
      case LOADING -> "Loading engine…";
      case READY -> "Ready";
      case BUSY -> task.isEmpty() ? "Busy" : task;
      case FAILED -> "Engine failed: " + message;
      case CLOSED -> "Closed";
    };
  }
}
