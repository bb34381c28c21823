package dev.diffulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.checkpoint.Manifest;
import dev.diffulab.core.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trained checkpoint made ready to ship — {@code export}, {@code evaluate --record} — and the
 * checks that keep {@code train} from destroying what a person already has.
 */
class ShareAndSafetyCliTest {
  @TempDir
  static Path dir;
  static Path ckpt;

  @BeforeAll
  static void trainATinyModel() throws Exception {
    Path c = dir.resolve("tiny.json");
    Files.writeString(c, """
        {"name": "tiny-share", "method": "masked", "device": "cpu", "seed": 5,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300, "validation_fraction": 0.1},
         "train": {"steps": 30, "batch_size": 8, "learning_rate": 0.004, "warmup_steps": 5,
                   "eval_every": 0, "sample_every": 0},
         "sampler": {"steps": 8, "num_samples": 2}}
        """);
    ckpt = dir.resolve("ckpt");
    CliTest.Run r = CliTest.run("train", "--config", c.toString(), "--out", ckpt.toString());
    assertEquals(0, r.code(), r.err());
  }

  private static Manifest manifest(Path d) throws Exception {
    return Manifest.parse(Files.readString(d.resolve("manifest.json")), "manifest");
  }

  @Test
  void aSweepWritesItsPointsTheFrontAndAPicture() throws Exception {
    Path prefix = dir.resolve("sweep/front");
    CliTest.Run r = CliTest.run("evaluate", "--checkpoint", ckpt.toString(), "--num-samples",
        "4", "--sweep", "temperature=0.5,1;remasking=random,low-confidence", "--sweep-out",
        prefix.toString());
    assertEquals(0, r.code(), r.err());
    java.util.List<String> csv = Files.readAllLines(dir.resolve("sweep/front.csv"));
    assertEquals(5, csv.size(), "a header and four points: " + csv);
    assertTrue(csv.getFirst().startsWith("label,quality,diversity,on_front,valid_fraction"));
    assertTrue(csv.stream().skip(1).anyMatch(l -> l.contains(",true,")), "a front: " + csv);
    assertTrue(csv.get(1).startsWith("\"temperature=0.5 remasking=random\""), csv.get(1));
    byte[] png = Files.readAllBytes(dir.resolve("sweep/front.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    javax.imageio.ImageIO.read(dir.resolve("sweep/front.png").toFile()).getWidth();
    assertTrue(r.out().contains("temperature=1 remasking=low-confidence"), r.out());
    // nothing is replaced without being asked, and a wrong key is named
    CliTest.Run again = CliTest.run("evaluate", "--checkpoint", ckpt.toString(), "--sweep",
        "temperature=1", "--sweep-out", prefix.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("--overwrite"), again.err());
    CliTest.Run bad = CliTest.run("evaluate", "--checkpoint", ckpt.toString(), "--sweep",
        "warmth=1", "--sweep-out", dir.resolve("sweep/bad").toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("warmth") && bad.err().lines().count() == 1, bad.err());
    CliTest.Run range = CliTest.run("evaluate", "--checkpoint", ckpt.toString(), "--sweep",
        "top_p=0.5,2", "--sweep-out", dir.resolve("sweep/range").toString());
    assertEquals(2, range.code());
    assertTrue(range.err().contains("top_p"), range.err());
  }

  @Test
  void theManifestSaysHowLongAndOnWhatItTrained() throws Exception {
    Manifest m = manifest(ckpt);
    assertTrue(m.trainSeconds() > 0, "train seconds " + m.trainSeconds());
    assertTrue(m.hardware().endsWith("-core CPU"), m.hardware());
    assertTrue(Double.isNaN(m.validFraction()), "not evaluated yet");
  }

  @Test
  void exportLeavesTheOptimiserOutSetsTheSamplerAndCannotBeResumed() throws Exception {
    Path out = dir.resolve("shared");
    CliTest.Run e = CliTest.run("export", "--checkpoint", ckpt.toString(), "--out",
        out.toString(), "--steps", "16", "--remasking", "remdm", "--remdm-eta", "0.1");
    assertEquals(0, e.code(), e.err());
    assertFalse(Files.exists(out.resolve("optimizer.ndlist")));
    RunConfig c = RunConfig.load(out.resolve("config.json"));
    assertEquals(16, c.sampler().steps());
    assertEquals("remdm", c.sampler().remasking().id());
    assertEquals(0.1, c.sampler().remdmEta(), 1e-12);
    assertEquals(manifest(ckpt).step(), manifest(out).step());
    // the copy samples with its own settings, and evaluate --record keeps what it measured
    CliTest.Run ev = CliTest.run("evaluate", "--checkpoint", out.toString(), "--num-samples",
        "4", "--record", "--json");
    assertEquals(0, ev.code(), ev.err());
    Manifest recorded = manifest(out);
    assertEquals(ev.json().get("valid_fraction").getAsDouble(), recorded.validFraction(), 1e-12);
    assertEquals(4.0, recorded.evaluation().get("num_samples"));
    assertTrue(recorded.evaluationSampler().contains("remdm"), recorded.evaluationSampler());
    CliTest.Run resume = CliTest.run("train", "--resume", out.toString(), "--steps", "40");
    assertEquals(2, resume.code());
    assertTrue(resume.err().contains("has no optimizer.ndlist"), resume.err());
    CliTest.Run onto = CliTest.run("export", "--checkpoint", ckpt.toString(), "--out",
        dir.resolve("tiny.json").toString());
    assertEquals(2, onto.code(), "export never replaces a file that is not a checkpoint");
  }

  @Test
  void halfExportStoresHalfTheBytesAndLoadsBackToTheSameWeights() throws Exception {
    Path out = dir.resolve("half");
    CliTest.Run e = CliTest.run("export", "--checkpoint", ckpt.toString(), "--out",
        out.toString(), "--half");
    assertEquals(0, e.code(), e.err());
    long full = Files.size(ckpt.resolve("model.params"));
    long half = Files.size(out.resolve("model.params"));
    assertTrue(half < 0.6 * full && half > 0.4 * full, half + " bytes against " + full);
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
        dev.diffulab.engine.method.LoadedModel a = dev.diffulab.engine.method.LoadedModel.open(ckpt,
            m);
        dev.diffulab.engine.method.LoadedModel b = dev.diffulab.engine.method.LoadedModel.open(out,
            m)) {
      var pa = a.model().parameters();
      var pb = b.model().parameters();
      assertEquals(pa.size(), pb.size());
      for (int i = 0; i < pa.size(); i++) {
        assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, pb.get(i).getArray().getDataType(),
            "widened back on loading");
        float[] x = pa.get(i).getArray().toFloatArray();
        float[] y = pb.get(i).getArray().toFloatArray();
        for (int j = 0; j < x.length; j++) {
          // float16 keeps 11 significant bits
          assertEquals(x[j], y[j], Math.abs(x[j]) / 1024 + 1e-6, pa.get(i).getName());
        }
      }
    }
    CliTest.Run g = CliTest.run("generate", "--checkpoint", out.toString(), "--num-samples",
        "2");
    assertEquals(0, g.code(), g.err());
    assertEquals(manifest(ckpt).step(), manifest(out).step());
  }

  @Test
  void aSettingAModelDoesNotReadIsNamedNotSilentlyDropped() throws Exception {
    CliTest.Run g = CliTest.run("generate", "--checkpoint", ckpt.toString(), "--num-samples",
        "1", "--guidance", "2");
    assertEquals(0, g.code(), g.err());
    assertTrue(g.err().contains("--guidance applies to a latent model"), g.err());
    CliTest.Run plain = CliTest.run("generate", "--checkpoint", ckpt.toString(),
        "--num-samples", "1");
    assertFalse(plain.err().contains("--guidance"), plain.err());
    CliTest.Run e = CliTest.run("generate", "--checkpoint", ckpt.toString(), "--num-samples",
        "1", "--eta", "1");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.err().contains("--eta applies to latent diffusion"), e.err());
    CliTest.Run both = CliTest.run("generate", "--checkpoint", ckpt.toString(), "--num-samples",
        "1", "--eta", "1", "--noise-temperature", "0.5");
    assertTrue(both.err().contains("--eta and --noise-temperature apply to latent diffusion"),
        both.err());
    assertFalse(plain.err().contains("--eta"), plain.err());
  }

  @Test
  void trainRefusesAnOutThatIsNotACheckpointBeforeTraining() throws Exception {
    Path mine = dir.resolve("my-folder");
    Files.createDirectories(mine);
    Files.writeString(mine.resolve("notes.txt"), "mine");
    CliTest.Run r = CliTest.run("train", "--config", dir.resolve("tiny.json").toString(),
        "--out", mine.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("is a folder with other files in it"), r.err());
    assertEquals("mine", Files.readString(mine.resolve("notes.txt")));
    Path file = dir.resolve("story.txt");
    Files.writeString(file, "keep me");
    CliTest.Run f = CliTest.run("train", "--config", dir.resolve("tiny.json").toString(),
        "--out", file.toString());
    assertEquals(2, f.code());
    assertTrue(f.err().contains("is an existing file"), f.err());
    assertEquals("keep me", Files.readString(file));
    assertFalse(r.out().contains("step 1/"), "refused before training");
  }

  @Test
  void twoRunsToOneFolderAreRefusedWhileTheFirstHoldsIt() throws Exception {
    Path out = dir.resolve("contested");
    String[] train = {"train", "--config", dir.resolve("tiny.json").toString(), "--steps", "2",
        "--out", out.toString()};
    // another run of this process
    try (var held = dev.diffulab.engine.checkpoint.WriteLock.take(out, "--out")) {
      CliTest.Run r = CliTest.run(train);
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("--out " + out + " is being written by another training run"),
          r.err());
      assertFalse(Files.exists(out), "the refused run wrote nothing");
    }
    // another process
    Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
        out.toString()).redirectErrorStream(true).start();
    try {
      String line = new java.io.BufferedReader(new java.io.InputStreamReader(
          other.getInputStream())).readLine();
      assertEquals("locked", line);
      CliTest.Run r = CliTest.run(train);
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("is being written by another training run"), r.err());
    } finally {
      other.destroyForcibly().waitFor();
    }
    // a killed holder leaves nothing that blocks the next run
    CliTest.Run r = CliTest.run(train);
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("manifest.json")));
    assertFalse(Files.exists(dir.resolve(".contested.lock")), "the lock file is removed");
  }

  @Test
  void aFolderWithAForeignManifestIsNeverReplaced() throws Exception {
    Path app = dir.resolve("web-app");
    Files.createDirectories(app.resolve("static"));
    Files.writeString(app.resolve("manifest.json"), "{\"name\": \"My PWA\", \"start_url\": \".\"}");
    Files.writeString(app.resolve("index.html"), "<html></html>");
    Files.writeString(app.resolve("static").resolve("app.js"), "let x = 1;");
    for (String[] args : new String[][]{
        {"train", "--config", dir.resolve("tiny.json").toString(), "--out", app.toString()},
        {"export", "--checkpoint", ckpt.toString(), "--out", app.toString()}}) {
      CliTest.Run r = CliTest.run(args);
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains(app.toString()), r.err());
      assertFalse(r.err().contains("Exception"), "one line, no stack trace: " + r.err());
    }
    assertEquals("<html></html>", Files.readString(app.resolve("index.html")));
    assertEquals("let x = 1;", Files.readString(app.resolve("static").resolve("app.js")));
    assertTrue(Files.readString(app.resolve("manifest.json")).contains("My PWA"));
    try (var s = Files.list(app)) {
      assertEquals(3, s.count(), "nothing added, nothing taken");
    }
  }

  @Test
  void retrainingIntoACheckpointKeepsThePersonsOwnFiles() throws Exception {
    Path mine = dir.resolve("with-notes");
    CliTest.Run first = CliTest.run("train", "--config", dir.resolve("tiny.json").toString(),
        "--out", mine.toString(), "--steps", "3");
    assertEquals(0, first.code(), first.err());
    Files.writeString(mine.resolve("notes.md"), "lr too high?");
    Files.createDirectories(mine.resolve("figures"));
    Files.writeString(mine.resolve("figures").resolve("a.svg"), "<svg/>");
    CliTest.Run again = CliTest.run("train", "--config", dir.resolve("tiny.json").toString(),
        "--out", mine.toString(), "--steps", "4");
    assertEquals(0, again.code(), again.err());
    assertEquals(4, manifest(mine).step());
    CliTest.Run resumed = CliTest.run("train", "--resume", mine.toString(), "--steps", "6");
    assertEquals(0, resumed.code(), resumed.err());
    CliTest.Run exported = CliTest.run("export", "--checkpoint", ckpt.toString(), "--out",
        mine.toString());
    assertEquals(0, exported.code(), exported.err());
    assertEquals("lr too high?", Files.readString(mine.resolve("notes.md")));
    assertEquals("<svg/>", Files.readString(mine.resolve("figures").resolve("a.svg")));
    assertEquals(manifest(ckpt).step(), manifest(mine).step(), "the export replaced the model");
    assertFalse(Files.exists(mine.resolve("optimizer.ndlist")),
        "the replaced run's optimiser state is not carried into an export");
    try (var s = Files.list(dir)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".with-notes")),
          "no hidden sibling left");
    }
  }

  @Test
  void anEditedManifestIsRefusedBeforeTheCorpusIsRead() throws Exception {
    Path run = dir.resolve("edited");
    CliTest.Run first = CliTest.run("train", "--config", dir.resolve("tiny.json").toString(),
        "--out", run.toString(), "--steps", "3");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("step 0/3  loss —"), "no NaN before the first step: "
        + first.out());
    String json = Files.readString(run.resolve("manifest.json"));
    Files.writeString(run.resolve("manifest.json"), json.replaceFirst("\"step\": 3",
        "\"step\": 2000"));
    CliTest.Run step = CliTest.run("train", "--resume", run.toString(), "--steps", "5");
    assertEquals(2, step.code(), step.err());
    assertTrue(step.err().contains("says step 2000 of 3"), step.err());
    assertFalse(step.out().contains("reading the corpus"), "refused before the corpus");
    Files.writeString(run.resolve("manifest.json"), json.replaceFirst("\"parameters\": \\d+",
        "\"parameters\": 17"));
    CliTest.Run params = CliTest.run("train", "--resume", run.toString(), "--steps", "5");
    assertEquals(2, params.code(), params.err());
    assertTrue(params.err().contains("17 parameters"), params.err());
    Files.writeString(run.resolve("manifest.json"), json);
    CliTest.Run fine = CliTest.run("train", "--resume", run.toString(), "--steps", "5");
    assertEquals(0, fine.code(), fine.err());
    assertEquals(5, manifest(run).step());
  }

  @Test
  void absurdNumbersAndExistingFilesAreRefusedInOneLine() throws Exception {
    String c = ckpt.toString();
    for (String[] args : new String[][]{
        {"generate", "--checkpoint", c, "--num-samples", "2000000000"},
        {"evaluate", "--checkpoint", c, "--num-samples", "2000000000"},
        {"generate", "--checkpoint", c, "--temperature", "Infinity"},
        {"generate", "--checkpoint", c, "--temperature", "NaN"}}) {
      CliTest.Run r = CliTest.run(args);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }
    Path existing = dir.resolve("keep.json");
    Files.writeString(existing, "precious");
    CliTest.Run trace = CliTest.run("generate", "--checkpoint", c, "--num-samples", "1",
        "--trace", existing.toString());
    assertEquals(2, trace.code(), trace.err());
    assertTrue(trace.err().contains("--overwrite"), trace.err());
    CliTest.Run tales = CliTest.run("corpus", "tinytales", "--count", "2", "--out",
        existing.toString());
    assertEquals(2, tales.code(), tales.err());
    assertEquals("precious", Files.readString(existing));
    CliTest.Run replaced = CliTest.run("corpus", "tinytales", "--count", "2", "--out",
        existing.toString(), "--overwrite");
    assertEquals(0, replaced.code(), replaced.err());
    assertFalse(Files.readString(existing).equals("precious"));
  }

  @Test
  void aManifestWithAWrongValueIsNamed() throws Exception {
    Path bad = dir.resolve("bad-manifest");
    CliTest.Run e = CliTest.run("export", "--checkpoint", ckpt.toString(), "--out",
        bad.toString());
    assertEquals(0, e.code(), e.err());
    String json = Files.readString(bad.resolve("manifest.json"));
    Files.writeString(bad.resolve("manifest.json"), json.replaceFirst("\"step\": \\d+",
        "\"step\": -5"));
    CliTest.Run neg = CliTest.run("generate", "--checkpoint", bad.toString());
    assertEquals(2, neg.code());
    assertTrue(neg.err().contains("must not be negative"), neg.err());
    Files.writeString(bad.resolve("manifest.json"), json.replaceFirst("\"step\": \\d+",
        "\"step\": \"garbage\""));
    CliTest.Run type = CliTest.run("generate", "--checkpoint", bad.toString());
    assertEquals(2, type.code());
    assertTrue(type.err().contains("the value of \"step\" has the wrong type"), type.err());
  }

  @Test
  void aTokenizerThatDoesNotFitTheParametersIsRefusedOnLoad() throws Exception {
    Path mixed = dir.resolve("mixed");
    assertEquals(0, CliTest.run("export", "--checkpoint", ckpt.toString(), "--out",
        mixed.toString()).code());
    Path big = dir.resolve("big-tokenizer.json");
    assertEquals(0, CliTest.run("corpus", "tokenizer", "--out", big.toString(), "--size",
        "1000").code());
    Files.copy(big, mixed.resolve("tokenizer.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CliTest.Run g = CliTest.run("generate", "--checkpoint", mixed.toString());
    assertEquals(2, g.code(), g.err());
    assertEquals(1, g.err().strip().lines().count(), g.err());
    assertTrue(g.err().contains("does not fit") && g.err().contains("vocabulary 1000"), g.err());
  }

  @Test
  void outputsThatCannotBeWrittenAndContradictoryOptionsAreRefusedUpFront() throws Exception {
    Path file = dir.resolve("plain-file");
    Files.writeString(file, "x");
    CliTest.Run trace = CliTest.run("generate", "--checkpoint", ckpt.toString(), "--trace",
        file.resolve("sub").resolve("trace.json").toString());
    assertEquals(2, trace.code(), trace.err());
    assertTrue(trace.err().startsWith("diffulab: --trace ") && trace.err().contains("cannot"
        + " write"), trace.err());
    CliTest.Run tales = CliTest.run("corpus", "tinytales", "--count", "3", "--out",
        file.resolve("tales.txt").toString());
    assertEquals(2, tales.code(), tales.err());
    assertEquals(1, tales.err().strip().lines().count(), tales.err());
    CliTest.Run prefix = CliTest.run("generate", "--checkpoint", ckpt.toString(), "--length",
        "4", "--prefix", "Once upon a time, there was a cat.");
    assertEquals(2, prefix.code(), prefix.err());
    assertTrue(prefix.err().contains("nothing would be left to write"), prefix.err());
    CliTest.Run unknown = CliTest.run("generate", "--checkpoint", ckpt.toString(),
        "--num-samples", "1", "--prefix", "Zorblax was");
    assertEquals(0, unknown.code(), unknown.err());
    assertTrue(unknown.err().contains("unknown to the model's tokenizer"), unknown.err());
    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "{\"name\": \"x\"} and then some");
    CliTest.Run config = CliTest.run("train", "--config", garbage.toString());
    assertEquals(2, config.code());
    assertTrue(config.err().contains("is not valid JSON") && config.err().contains("line 1"),
        config.err());
    assertTrue(!config.err().contains("Strictness") && !config.err().contains("http"),
        "the JSON library's advice stays out: " + config.err());
  }

  @Test
  void aRunThatWillNotFitInMemoryIsRefusedBeforeItStarts() throws Exception {
    Path c = dir.resolve("tiny.json");
    Path out = dir.resolve("too-big");
    System.setProperty("diffulab.availableMemoryMb", "300");
    try {
      CliTest.Run r = CliTest.run("train", "--config", c.toString(), "--out", out.toString());
      assertEquals(2, r.code(), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("this run needs about") && r.err().contains("300 MB is"
          + " available") && r.err().contains("largest part is"), r.err());
      assertFalse(Files.exists(out), "nothing was written");
    } finally {
      System.clearProperty("diffulab.availableMemoryMb");
    }
  }
}
