package dev.diffulab.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The memory a run will need, estimated from its config and vocabulary before it starts. */
class MemoryEstimateTest {
  @Test
  void theQuickTestIsSmallAndItsParametersAreCountedRight() {
    RunConfig quick = RunConfig.load(Path.of("sample-configs/quick-test.json"));
    MemoryEstimate m = MemoryEstimate.of(quick, 280);
    // 545 k parameters (README): weights and gradients 8 bytes each, moments another 8
    assertEquals(545_000 * 8, m.weights(), 0.05 * 545_000 * 8);
    assertEquals(m.weights(), m.optimizer());
    assertTrue(m.total() < 2L << 30, MemoryEstimate.gb(m.total()));
  }

  @Test
  void aHugeVocabularyIsNamedAsTheLargestTermWithTheSettingsThatShrinkIt() {
    RunConfig quick = RunConfig.load(Path.of("sample-configs/quick-test.json"));
    MemoryEstimate m = MemoryEstimate.of(quick, 2_000_000);
    assertTrue(m.total() > 24L << 30,
        "more than this machine has: " + MemoryEstimate.gb(m.total()));
    assertTrue(m.largest().startsWith("the logits over the vocabulary"), m.largest());
    assertTrue(m.largest().contains("train.batch_size"), m.largest());
    // the large-vocabulary shape the benchmark trains in about 1.3 GB fits
    MemoryEstimate bert = MemoryEstimate.of(quick, 30_522);
    assertTrue(bert.total() > 1L << 30 && bert.total() < 4L << 30,
        MemoryEstimate.gb(bert.total()));
  }

  @Test
  void wideCdcdRunsCountTheirOwnHeadAndSelfConditioning() {
    RunConfig cdcd = RunConfig.load(Path.of("sample-configs/demo-cdcd.json"));
    // the same batch for both, so the difference is what CDCD keeps
    RunConfig masked = RunConfig.load(Path.of("sample-configs/demo.json")).withTrain(cdcd.train());
    MemoryEstimate a = MemoryEstimate.of(masked, 280);
    MemoryEstimate b = MemoryEstimate.of(cdcd, 280);
    assertTrue(b.activations() > a.activations(), "self-conditioning keeps more");
  }
}
