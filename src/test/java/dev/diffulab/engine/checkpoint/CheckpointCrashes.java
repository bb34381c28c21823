package dev.diffulab.engine.checkpoint;

import java.util.Set;

/** Stops a checkpoint write at its k-th crash point, as a kill would: no cleanup runs. */
public final class CheckpointCrashes {
  /** What a kill looks like to the writer: an error nothing catches. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;

    Killed(String at) {
      super("killed after: " + at);
    }
  }

  /** Work that may be killed. */
  public interface Work {
    void run() throws Exception;
  }

  private CheckpointCrashes() {
  }

  /**
   * Runs {@code work}, killing it at its {@code k}-th crash point (1-based); records the names of
   * the points passed. Returns whether it was killed.
   */
  public static boolean crashAt(int k, Set<String> seen, Work work) throws Exception {
    int[] count = {0};
    Checkpoint.crashPoints = at -> {
      seen.add(at);
      if (++count[0] == k) {
        throw new Killed(at);
      }
    };
    try {
      work.run();
      return false;
    } catch (Killed e) {
      return true;
    } finally {
      Checkpoint.crashPoints = at -> {
      };
    }
  }
}
