package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.checkpoint.Manifest;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.engine.checkpoint.Checkpoint;
import dev.diffulab.engine.checkpoint.CheckpointCrashes;
import dev.diffulab.engine.method.LoadedModel;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint write killed at any point — after each file, after the flush, between the renames,
 * and during the recovery that follows — always leaves one complete, loadable checkpoint: the old
 * one or the new one, never a mix and never none; no temporary folder survives the next write;
 * and the files a person keeps in the checkpoint's folder are never lost.
 */
class CrashSafeCheckpointTest {

  private static Manifest withStep(Manifest m, int step) {
    return new Manifest(m.format(), m.method(), m.name(), step, m.totalSteps(), m.seed(),
        m.dataHash(), m.corpus(), m.tokenizer(), m.diffulabVersion(), m.djlVersion(),
        m.engineVersion(), m.javaVersion(), m.device(), m.created(), m.parameters(),
        m.optimizerUpdates(), m.lengthHistogram(), m.metrics(), m.trainSeconds(), m.hardware(),
        m.evaluation(), m.evaluationSampler());
  }

  @Test
  void aWriteKilledAnywhereLeavesACompleteLoadableCheckpoint(@TempDir Path dir) throws Exception {
    RunConfig c = RunConfig.parse("""
        {"method": "cdcd", "seed": 3,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 32},
         "data": {"tinytales_stories": 60},
         "train": {"steps": 2, "batch_size": 4, "eval_every": 0, "sample_every": 0,
                   "checkpoint_every": 0}, "cdcd": {"refit_every": 1}}
        """, "test");
    Path target = dir.resolve("ckpt");
    try (NDManager root = NDManager.newBaseManager()) {
      EngineContext ctx = new StepContext(root, 0);
      new TrainingRun(new TrainingRun.Request("crash", c, target, null), ctx).run();
      int trials = 0;
      Set<String> points = new HashSet<>();
      Files.writeString(target.resolve("notes.txt"), "my notes");
      Files.createDirectories(target.resolve("plots"));
      Files.writeString(target.resolve("plots").resolve("loss.csv"), "1,2");
      try (LoadedModel lm = LoadedModel.open(target, root)) {
        String warp = Files.readString(target.resolve("time_warp.json"));
        int step = lm.manifest().step();
        for (int round = 0; round < 6; round++) {
          for (int k = 1;; k++) {
            int next = step + 1;
            boolean crashed = CheckpointCrashes.crashAt(k, points, () -> Checkpoint.write(
                target, lm.config(), lm.tokenizer(), lm.model(), null,
                withStep(lm.manifest(), next), Map.of("time_warp.json", warp)));
            if (round % 2 == 1) {
              // killed again while recovering from the first kill
              CheckpointCrashes.crashAt(1, points, () -> Checkpoint.recover(target));
            }
            trials++;
            Checkpoint.Contents read = Checkpoint.read(target);
            assertEquals("my notes", Files.readString(target.resolve("notes.txt")),
                "a person's file after a kill at " + k + " (round " + round + ")");
            assertEquals("1,2", Files.readString(target.resolve("plots").resolve("loss.csv")));
            int found = read.manifest().step();
            assertTrue(found == step || found == next, "step " + found + " after a kill at "
                + k + " (round " + round + ")");
            try (LoadedModel again = LoadedModel.open(target, root)) {
              assertEquals(found, again.manifest().step());
            }
            step = found;
            if (!crashed) {
              assertEquals(next, found, "a write that was not killed lands");
              break;
            }
          }
        }
      }
      assertTrue(trials >= 50, "trials: " + trials);
      assertTrue(points.containsAll(Set.of("parameters written", "flushed",
          "old checkpoint moved aside", "new checkpoint in place", "other files carried over")),
          points.toString());
      try (Stream<Path> s = Files.list(dir)) {
        assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp-")),
            "a temporary folder outlived the last write");
      }
    }
  }
}
