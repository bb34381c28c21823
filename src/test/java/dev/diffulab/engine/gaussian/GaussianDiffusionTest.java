package dev.diffulab.engine.gaussian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.ImageRunResult;
import dev.diffulab.core.image.ImageSet;
import dev.diffulab.engine.image.ImageClassifierTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny U-Net on 12×12 pictures: training lowers the loss, DDIM with η = 0 is deterministic,
 * guidance at w = 0 is exactly the unconditional model and at w = 1 the conditional one, and a
 * checkpoint samples as the model it was written from.
 */
class GaussianDiffusionTest {
  static GaussianConfig tiny(int steps, String prediction) {
    return GaussianConfig.parse("""
        {"name": "tiny-images", "seed": 3,
         "model": {"channels": 8, "class_conditional": true, "label_dropout": 0.2},
         "diffusion": {"steps": 50, "schedule": "linear", "prediction": "%s", "loss": "mse"},
         "train": {"steps": %d, "batch_size": 16, "learning_rate": 0.003, "warmup_steps": 5,
                   "log_every": 10},
         "sampler": {"steps": 10, "eta": 0.0, "guidance": 2.0, "num_samples": 6}}
        """.formatted(prediction, steps), "test");
  }

  private static GaussianSampler.Request request(int[] classes, double guidance, double eta,
      long seed) {
    return new GaussianSampler.Request(6, 10, eta, guidance, classes, seed, false);
  }

  private static float[][] sampleInterval(GaussianModel model, int[] classes, double from,
      double to) {
    return GaussianSampler.sample(model, new GaussianSampler.Request(6, 10, 0.0, 2.0, classes,
        9, false, from, to), () -> false, null).images();
  }

  @Test
  void trainingLowersTheLossAndTheSamplersKeepTheirPromises(@TempDir Path dir)
      throws Exception {
    ImageSet data = ImageClassifierTest.shapes(300, 4);
    List<String> log = new ArrayList<>();
    try (NDManager root = NDManager.newBaseManager()) {
      ImageRunResult r = ImageTraining.run(tiny(60, "epsilon"), data, dir.resolve("ckpt"), root,
          log::add, () -> false);
      assertEquals(60, r.step());
      double first = loss(log.get(1));
      double last = loss(log.get(log.size() - 2));
      assertTrue(last < 0.8 * first, "loss " + first + " → " + last + "\n" + log);
      assertTrue(log.get(1).contains("loss by t"), log.get(1));

      var contents = ImageCheckpoint.read(dir.resolve("ckpt"));
      assertEquals(60, contents.manifest().step());
      // given to the text family, the checkpoint says what it is and what reads it
      var wrong = org.junit.jupiter.api.Assertions.assertThrows(
          dev.diffulab.core.InputException.class,
          () -> dev.diffulab.engine.checkpoint.Checkpoint.read(dir.resolve("ckpt")));
      assertTrue(wrong.getMessage().contains("is an image checkpoint (Gaussian diffusion)")
          && wrong.getMessage().contains("diffulab images generate"), wrong.getMessage());
      assertEquals(dev.diffulab.core.checkpoint.Modality.IMAGES,
          dev.diffulab.core.checkpoint.Modality.of(dir.resolve("ckpt")));
      try (GaussianModel model = ImageCheckpoint.load(contents, root)) {
        int[] classes = {0, 1, 2, 0, 1, 2};
        float[][] a = GaussianSampler.sample(model, request(classes, 2.0, 0.0, 9), () -> false,
            null).images();
        float[][] b = GaussianSampler.sample(model, request(classes, 2.0, 0.0, 9), () -> false,
            null).images();
        float[][] other = GaussianSampler.sample(model, request(classes, 2.0, 0.0, 10),
            () -> false, null).images();
        for (int i = 0; i < a.length; i++) {
          assertArrayEquals(a[i], b[i], "DDIM η = 0 with one seed is deterministic");
          for (float v : a[i]) {
            assertTrue(v >= -1f && v <= 1f);
          }
        }
        assertFalse(java.util.Arrays.equals(a[0], other[0]), "another seed, another picture");
        float[][] noisyA = GaussianSampler.sample(model, request(classes, 2.0, 1.0, 9),
            () -> false, null).images();
        assertFalse(java.util.Arrays.equals(a[0], noisyA[0]), "η = 1 adds noise on the way");

        // w = 0 is the unconditional model; w = 1 the conditional one without guidance
        float[][] unconditional = GaussianSampler.sample(model, request(null, 1.0, 0.0, 9),
            () -> false, null).images();
        float[][] weightZero = GaussianSampler.sample(model, request(classes, 0.0, 0.0, 9),
            () -> false, null).images();
        assertSame(unconditional, weightZero, 1e-5f);
        float[][] weightOne = GaussianSampler.sample(model, request(classes, 1.0, 0.0, 9),
            () -> false, null).images();
        assertFalse(java.util.Arrays.equals(weightOne[0], unconditional[0]),
            "the class changes the picture");

        // guidance in an interval of t/T: [0, 1] is guidance at every step; an interval that
        // holds no sampling step is the conditional model alone; a part of the steps is neither
        var schedule = model.config().schedule();
        int[] ts = schedule.samplingSteps(10);
        assertSame(a, sampleInterval(model, classes, 0, 1), 0f);
        double gap = (ts[0] + ts[1]) / 2.0 / schedule.steps(); // between the first two steps
        assertSame(weightOne, sampleInterval(model, classes, gap, gap + 0.001), 0f);
        float[][] upper = sampleInterval(model, classes, 0.5, 1);
        assertFalse(java.util.Arrays.equals(upper[0], a[0]), "guided at part of the steps");
        assertFalse(java.util.Arrays.equals(upper[0], weightOne[0]), "guided at some steps");
        int guidedSteps = 0;
        for (int t : ts) {
          guidedSteps += (double) t / schedule.steps() >= 0.5 ? 1 : 0;
        }
        assertTrue(guidedSteps > 0 && guidedSteps < ts.length);
        assertEquals(ts.length + guidedSteps, new GaussianSampler.Request(6, 10, 0, 2, classes, 9,
            false, 0.5, 1).passes(schedule), "one pass a step, two where guided");
        assertEquals(2 * ts.length, request(classes, 2.0, 0.0, 9).passes(schedule));
        assertEquals(ts.length, request(null, 2.0, 0.0, 9).passes(schedule), "unconditional");

        // the variational bound: finite, positive parts, and lower than an untrained model's
        double[] bound = ImageEvaluation.bitsPerDim(model, data, 40, 7, 3);
        assertTrue(Double.isFinite(bound[0]) && bound[0] > 0, java.util.Arrays.toString(bound));
        assertEquals(bound[0], bound[1] + bound[2] + bound[3], 1e-9);
        try (GaussianModel untrained = new GaussianModel(tiny(1, "epsilon"), 12, 12, 3, root)) {
          double[] before = ImageEvaluation.bitsPerDim(untrained, data, 40, 7, 3);
          assertTrue(bound[0] < before[0], "trained " + bound[0] + " < untrained " + before[0]);
        }

        // a request larger than a pass is drawn in chunks: its first chunk is what a request of
        // one chunk draws, each later chunk its own pictures and the classes asked of them
        int big = GaussianSampler.CHUNK + 3;
        int[] many = new int[big];
        for (int i = 0; i < big; i++) {
          many[i] = i % 3;
        }
        float[][] whole = GaussianSampler.sample(model, new GaussianSampler.Request(big, 4, 0.0,
            2.0, many, 9, false), () -> false, null).images();
        float[][] oneChunk = GaussianSampler.sample(model, new GaussianSampler.Request(
            GaussianSampler.CHUNK, 4, 0.0, 2.0, java.util.Arrays.copyOf(many,
                GaussianSampler.CHUNK),
            9, false), () -> false, null).images();
        assertEquals(big, whole.length);
        for (int i = 0; i < GaussianSampler.CHUNK; i++) {
          assertArrayEquals(oneChunk[i], whole[i], "picture " + i);
        }
        assertFalse(java.util.Arrays.equals(whole[0], whole[GaussianSampler.CHUNK]),
            "the second chunk starts from its own noise");

        // a traced run keeps x_t and x̂₀ of every step
        var traced = GaussianSampler.sample(model, new GaussianSampler.Request(2, 10, 0.0, 1.0,
            null, 9, true), () -> false, null);
        assertEquals(10, traced.noisy().size());
        assertEquals(10, traced.denoised().size());
        assertEquals(50, traced.timesteps()[0]);
        assertEquals(1, traced.timesteps()[9]);
      }
    }
  }

  @Test
  void thePatchTransformerTrainsSamplesAndReloads(@TempDir Path dir) throws Exception {
    GaussianConfig t = tiny(50, "epsilon");
    GaussianConfig dit = GaussianConfig.parse(new GaussianConfig(t.name(), t.seed(),
        new GaussianConfig.Model(16, true, 0.2, "dit", 4, 2, 2), t.diffusion(), t.train(),
        t.sampler(), t.data()).toJson(), "test");
    assertTrue(dit.model().transformer());
    ImageSet data = ImageClassifierTest.shapes(300, 4);
    List<String> log = new ArrayList<>();
    try (NDManager root = NDManager.newBaseManager()) {
      ImageRunResult r = ImageTraining.run(dit, data, dir.resolve("dit"), root, log::add,
          () -> false);
      assertEquals(50, r.step());
      assertTrue(log.get(0).contains("patch transformer"), log.get(0));
      double first = loss(log.get(1));
      double last = loss(log.get(log.size() - 2));
      assertTrue(last < 0.8 * first, "loss " + first + " → " + last + "\n" + log);
      var contents = ImageCheckpoint.read(dir.resolve("dit"));
      try (GaussianModel a = ImageCheckpoint.load(contents, root);
          GaussianModel b = ImageCheckpoint.load(contents, root)) {
        int[] classes = {0, 1, 2, 0, 1, 2};
        float[][] x = GaussianSampler.sample(a, request(classes, 2.0, 0.0, 5), () -> false, null)
            .images();
        float[][] y = GaussianSampler.sample(b, request(classes, 2.0, 0.0, 5), () -> false, null)
            .images();
        assertSame(x, y, 0f);
        assertEquals(144, x[0].length);
      }
    }
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.diffulab.core.InputException.class,
        () -> GaussianConfig.parse(dit.toJson().replace("\"dit\"", "\"vit\""), "my.json"));
    assertTrue(e.getMessage().contains("model.backbone must be unet or dit"), e.getMessage());
  }

  @Test
  void theUNetWithAttentionAtItsLowestResolutionTrains() throws Exception {
    GaussianConfig t = tiny(40, "epsilon");
    GaussianConfig withAttention = new GaussianConfig(t.name(), t.seed(),
        new GaussianConfig.Model(8, true, 0.2, "unet", null, null, null, true), t.diffusion(),
        t.train(), t.sampler(), t.data());
    ImageSet data = ImageClassifierTest.shapes(200, 4);
    List<String> log = new ArrayList<>();
    try (NDManager root = NDManager.newBaseManager()) {
      ImageTraining.run(withAttention, data, null, root, log::add, () -> false);
      double first = loss(log.get(1));
      double last = loss(log.get(log.size() - 1));
      assertTrue(last < 0.8 * first, "loss " + first + " → " + last + "\n" + log);
      try (GaussianModel plain = new GaussianModel(t, 12, 12, 3, root);
          GaussianModel attending = new GaussianModel(withAttention, 12, 12, 3, root)) {
        assertTrue(attending.parameterCount() > plain.parameterCount(),
            "the attention block adds its parameters");
      }
    }
  }

  @Test
  void everyPredictionTargetTrains() throws Exception {
    ImageSet data = ImageClassifierTest.shapes(120, 5);
    for (String p : new String[]{"x0", "v"}) {
      List<String> log = new ArrayList<>();
      try (NDManager root = NDManager.newBaseManager()) {
        ImageRunResult r = ImageTraining.run(tiny(20, p), data, null, root, log::add,
            () -> false);
        assertTrue(Double.isFinite(r.finalLoss()), p + ": " + log);
        try (GaussianModel m = new GaussianModel(tiny(1, p), 12, 12, 3, root)) {
          float[][] x = GaussianSampler.sample(m, request(null, 1.0, 0.5, 1), () -> false, null)
              .images();
          assertEquals(144, x[0].length);
        }
      }
    }
  }

  @Test
  void aStoppedRunStillWritesWhatItTrained(@TempDir Path dir) throws Exception {
    ImageSet data = ImageClassifierTest.shapes(60, 6);
    int[] calls = {0};
    try (NDManager root = NDManager.newBaseManager()) {
      ImageRunResult r = ImageTraining.run(tiny(100, "epsilon"), data, dir.resolve("c"), root,
          s -> {
          }, () -> ++calls[0] > 7);
      assertTrue(r.stopped());
      assertEquals(7, r.step());
      assertEquals(7, ImageCheckpoint.read(dir.resolve("c")).manifest().step());
    }
  }

  @Test
  void aResumedRunTakesTheStepsTheUninterruptedOneWould(@TempDir Path dir) throws Exception {
    ImageSet data = ImageClassifierTest.shapes(60, 6);
    GaussianConfig t = tiny(24, "epsilon");
    GaussianConfig c = GaussianConfig.parse(new GaussianConfig(t.name(), t.seed(), t.model(),
        t.diffusion(), new GaussianConfig.Train(24, 16, 0.003, 5, 10, 0.9, 9), t.sampler(),
        t.data()).toJson(), "test");
    assertEquals(0.9, c.train().ema());
    assertEquals(9, c.train().checkpointEvery());
    int[] calls = {0};
    // libtorch's convolution backward on several CPU threads sums in a varying order, so two
    // straight runs differ in the last bits; on one thread they are identical, and so must a
    // resumed run be
    int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
    try (NDManager root = NDManager.newBaseManager()) {
      ImageTraining.run(c, data, dir.resolve("straight"), root, s -> {
      }, () -> false);
      // stopped after step 11: the checkpoint of step 9 stays, the stop writes step 11
      ImageRunResult stopped = ImageTraining.run(c, data, dir.resolve("split"), root, s -> {
      }, () -> ++calls[0] > 11);
      assertEquals(11, stopped.step());
      var from = ImageCheckpoint.read(dir.resolve("split"));
      assertEquals(11, from.manifest().step());
      ImageRunResult resumed = ImageTraining.run(c, data, dir.resolve("split"), root, s -> {
      }, () -> false, from);
      assertEquals(24, resumed.step());
    } finally {
      ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }
    for (String f : new String[]{ImageCheckpoint.PARAMS, ImageCheckpoint.TRAIN_WEIGHTS,
        ImageCheckpoint.OPTIMIZER}) {
      assertArrayEquals(java.nio.file.Files.readAllBytes(dir.resolve("straight").resolve(f)),
          java.nio.file.Files.readAllBytes(dir.resolve("split").resolve(f)), f);
    }
    // the average is not the trained weights
    assertFalse(java.util.Arrays.equals(
        java.nio.file.Files.readAllBytes(dir.resolve("straight").resolve(ImageCheckpoint.PARAMS)),
        java.nio.file.Files.readAllBytes(dir.resolve("straight")
            .resolve(ImageCheckpoint.TRAIN_WEIGHTS))));
  }

  @Test
  void aCheckpointWithoutTrainingStateIsNotResumed(@TempDir Path dir) throws Exception {
    ImageSet data = ImageClassifierTest.shapes(30, 6);
    GaussianConfig c = tiny(4, "epsilon");
    try (NDManager root = NDManager.newBaseManager()) {
      ImageTraining.run(c, data, dir.resolve("c"), root, s -> {
      }, () -> false);
      java.nio.file.Files.delete(dir.resolve("c").resolve(ImageCheckpoint.OPTIMIZER));
      var from = ImageCheckpoint.read(dir.resolve("c"));
      var e = org.junit.jupiter.api.Assertions.assertThrows(
          dev.diffulab.core.InputException.class, () -> ImageTraining.run(c.withSteps(8), data,
              dir.resolve("c"), root, s -> {
              }, () -> false, from));
      assertTrue(e.getMessage().contains("no training state"), e.getMessage());
    }
  }

  private static double loss(String line) {
    var m = java.util.regex.Pattern.compile("loss ([0-9.]+)").matcher(line);
    assertTrue(m.find(), line);
    return Double.parseDouble(m.group(1));
  }

  private static void assertSame(float[][] a, float[][] b, float tolerance) {
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], tolerance, "picture " + i);
    }
  }
}
