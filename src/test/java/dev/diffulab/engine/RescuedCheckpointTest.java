package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.LossPoint;
import dev.diffulab.core.snapshot.RunResult;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.core.snapshot.TrainProgress;
import dev.diffulab.engine.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the run's own folder can no longer take its checkpoint (the disk filled, the folder was
 * replaced), the trained model is not lost: intermediate checkpoints are skipped with a warning,
 * the final one goes beside the folder or to the rescue folder, and the result says where.
 */
class RescuedCheckpointTest {
  /** A one-layer model on 120 stories: a run of a few steps takes well under a second. */
  private static RunConfig tiny(String name, int steps, int checkpointEvery) {
    return RunConfig.parse(("{\"name\": \"%s\", \"seed\": 3, \"model\": {\"d_model\": 32,"
        + " \"layers\": 1, \"heads\": 2, \"ffn\": 64, \"seq_len\": 64}, \"data\":"
        + " {\"tinytales_stories\": 120}, \"train\": {\"steps\": %d, \"batch_size\": 8,"
        + " \"eval_every\": 0, \"sample_every\": 0, \"checkpoint_every\": %d}}")
        .formatted(name, steps, checkpointEvery), "test");
  }

  /** The run's folder is replaced by a file: nothing can be written under it any more. */
  private static void replaceByFile(Path folder) {
    try {
      try (var inside = Files.list(folder)) { // only the run's own lock file is there
        for (Path p : inside.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(folder);
      Files.writeString(folder, "not a folder any more");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aCheckpointThatCannotBeWrittenWhereAskedIsSavedElsewhereAndSaysWhere(@TempDir Path dir)
      throws Exception {
    RunConfig c = tiny("rescue", 6, 2);
    Path parent = Files.createDirectories(dir.resolve("runs"));
    Path out = parent.resolve("ckpt");
    Path rescueDir = dir.resolve("rescued");
    System.setProperty("diffulab.rescueDir", rescueDir.toString());
    StringBuilder messages = new StringBuilder();
    try (NDManager root = NDManager.newBaseManager()) {
      StepContext ctx = new StepContext(root, 0) {
        @Override
        public void publish(Snapshot s) {
          super.publish(s);
          if (s instanceof LossPoint p && p.step() == 1) {
            replaceByFile(parent);
          }
          if (s instanceof TrainProgress t && !t.message().isEmpty()) {
            messages.append(t.message()).append('\n');
          }
        }
      };
      RunResult r = new dev.diffulab.engine.train.TrainingRun(
          new dev.diffulab.engine.train.TrainingRun.Request("r", c, out, null), ctx).run();
      assertEquals(TrainProgress.State.FINISHED, r.state());
      assertEquals(6, r.step(), "the run went on past the checkpoints it could not write");
      assertTrue(messages.toString().contains("checkpoint at step 2 could not be written"),
          messages.toString());
      assertEquals(rescueDir.resolve("ckpt-rescued"), r.checkpoint());
      assertTrue(r.note().contains(out.toString()) && r.note().contains(r.checkpoint()
          .toString()), r.note());
      assertEquals(6, Checkpoint.read(r.checkpoint()).manifest().step(),
          "the rescued checkpoint is complete and loadable");
    } finally {
      System.clearProperty("diffulab.rescueDir");
    }
  }

  @Test
  void whenNoFallbackCanTakeItThePersonIsAskedForAFolder(@TempDir Path dir) throws Exception {
    RunConfig c = tiny("ask", 3, 0);
    Path parent = Files.createDirectories(dir.resolve("runs"));
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
    Path chosen = Files.createDirectories(dir.resolve("chosen"));
    String tmp = System.getProperty("java.io.tmpdir");
    System.setProperty("diffulab.rescueDir", blocker.resolve("rescued").toString());
    java.util.List<String> asked = new java.util.ArrayList<>();
    try (NDManager root = NDManager.newBaseManager()) {
      StepContext ctx = new StepContext(root, 0) {
        @Override
        public void publish(Snapshot s) {
          super.publish(s);
          if (s instanceof LossPoint p && p.step() == 1) {
            replaceByFile(parent);
            System.setProperty("java.io.tmpdir", blocker.resolve("tmp").toString());
          }
        }

        @Override
        public Path askWhereToSave(String problem) {
          asked.add(problem);
          return asked.size() == 1 ? blocker : chosen; // a bad answer first, then a good one
        }
      };
      RunResult r = new dev.diffulab.engine.train.TrainingRun(
          new dev.diffulab.engine.train.TrainingRun.Request("r", c, parent.resolve("ckpt"),
              null),
          ctx).run();
      System.setProperty("java.io.tmpdir", tmp);
      assertEquals(2, asked.size(), "asked again after a folder that could not take it");
      assertTrue(asked.get(0).contains(parent.toString()) && asked.get(0).contains("rescued"),
          asked.get(0));
      assertEquals(chosen.resolve("ckpt-rescued"), r.checkpoint());
      assertEquals(3, Checkpoint.read(r.checkpoint()).manifest().step());
    } finally {
      System.setProperty("java.io.tmpdir", tmp);
      System.clearProperty("diffulab.rescueDir");
    }
  }
}
