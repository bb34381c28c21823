package dev.diffulab.engine.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.diffulab.core.snapshot.Snapshot;

/**
 * What a task sees of the engine thread: the device, the root manager to hang its own managers
 * from, a way to publish snapshots, and the cancel flag to check between steps.
 */
public interface EngineContext {
  Device device();

  /** The engine's root manager; closed with every child when the engine shuts down. */
  NDManager manager();

  void publish(Snapshot snapshot);

  /** True once the person cancelled the running task or the engine is closing. */
  boolean cancelled();

  /** Throws {@link CancelledException} if {@link #cancelled()}. Call between steps. */
  default void checkCancelled(String what) {
    if (cancelled()) {
      throw new CancelledException(what);
    }
  }

  /** True while the person has paused the running task. */
  boolean paused();

  /**
   * Runs the short interactive requests waiting (mask previews and the like). Long tasks call it
   * between steps so the app stays interactive while they run.
   */
  void serviceInteractive();

  /** Blocks while the task is paused (training's Pause), returning early on cancel. */
  void awaitResume() throws InterruptedException;

  /**
   * Asks the person where a checkpoint can go that could not be written anywhere else, saying
   * why ({@code problem}); blocks the task until they answer. Null: nobody to ask (the command
   * line, a test), they declined, or the task was cancelled.
   */
  default java.nio.file.Path askWhereToSave(String problem) {
    return null;
  }
}
