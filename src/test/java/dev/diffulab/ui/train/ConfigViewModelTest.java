package dev.diffulab.ui.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.ConfigDraft;
import dev.diffulab.core.config.ModelSize;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.engine.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Train settings and the Full run offer, without the FX toolkit. */
class ConfigViewModelTest {
  private final List<ConfigDraft.CorpusChoice> opened = new ArrayList<>();
  private CompletableFuture<Object> corpusResult = CompletableFuture.completedFuture(null);

  private ConfigViewModel settings() {
    ConfigViewModel vm = new ConfigViewModel(
        RunConfig.load(Path.of("sample-configs/quick-test.json")), c -> {
          opened.add(c);
          return corpusResult;
        }, Runnable::run);
    vm.showCorpus();
    return vm;
  }

  @Test
  void aPresetSetsTheFourBackboneNumbersAndEditingOneMakesItCustom() {
    ConfigViewModel vm = settings();
    assertEquals(Optional.of(ModelSize.QUICK), vm.sizeProperty().get());
    vm.setSize(ModelSize.FULL);
    assertEquals("384", vm.value("model.d_model").get());
    assertEquals("6", vm.value("model.heads").get());
    assertEquals("1536", vm.value("model.ffn").get());
    assertTrue(vm.validProperty().get());
    vm.set("model.layers", "9");
    assertEquals(Optional.empty(), vm.sizeProperty().get());
    vm.set("model.layers", "");
    assertEquals("expected a whole number, got \"\"", vm.error("model.layers").get());
    assertFalse(vm.validProperty().get());
    assertEquals("model.layers: expected a whole number, got \"\"",
        vm.problemProperty().get());
  }

  @Test
  void aCorpusThatCannotBeReadPutsTheFieldBack(@TempDir Path dir) throws Exception {
    ConfigViewModel vm = settings();
    assertEquals("tinytales", opened.get(0).data().corpus());
    assertEquals(20000, opened.get(0).data().tinytalesStories());
    vm.set("data.tinytales_stories", "500");
    vm.set("train.learning_rate", "0.002");
    assertEquals(2, opened.size(), "the story count changes the statistics, the rate does not");
    assertEquals(500, opened.get(1).data().tinytalesStories());
    Path good = Files.writeString(dir.resolve("good.txt"), "One story.\n\nAnother story.\n");
    assertTrue(vm.useCorpus(good));
    assertEquals(good.toString(), opened.get(2).data().corpus());
    assertEquals(good.toString(), vm.build().data().corpus());
    corpusResult = new CompletableFuture<>();
    Path bad = Files.writeString(dir.resolve("bad.txt"), "");
    assertTrue(vm.useCorpus(bad), "the file is there; reading it is the engine's job");
    assertEquals(bad.toString(), vm.value("data.corpus").get());
    corpusResult.completeExceptionally(new InputException("corpus file bad.txt is empty"));
    assertEquals(good.toString(), vm.value("data.corpus").get(), "back to the last good corpus");
    int requests = opened.size();
    corpusResult = new CompletableFuture<>();
    vm.set("data.tinytales_stories", "600");
    corpusResult.cancel(false); // a newer choice took its place before it was read
    assertEquals("600", vm.value("data.tinytales_stories").get(),
        "a superseded read reverts nothing");
    assertEquals(requests + 1, opened.size());
    assertFalse(vm.useCorpus(dir.resolve("missing.txt")), "a missing file is refused at once");
    assertEquals(good.toString(), vm.value("data.corpus").get());
  }

  @Test
  void aFirstCorpusThatCannotBeReadFallsBackToTinyTales(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("binary.txt"), "");
    RunConfig start = RunConfig.load(Path.of("sample-configs/quick-test.json"));
    start = RunConfig.parse(start.toJson().replace("\"corpus\": \"tinytales\"",
        "\"corpus\": " + com.google.gson.JsonParser.parseString("\""
            + bad.toString().replace("\\", "\\\\") + "\"")),
        "test");
    corpusResult = new CompletableFuture<>();
    ConfigViewModel vm = new ConfigViewModel(start, c -> {
      opened.add(c);
      return c.data().isTinyTales() ? CompletableFuture.completedFuture(null) : corpusResult;
    }, Runnable::run);
    vm.showCorpus();
    assertEquals(bad.toString(), opened.get(0).data().corpus());
    corpusResult.completeExceptionally(new InputException("corpus file " + bad
        + " is not valid UTF-8"));
    // nothing was shown before: the embedded corpus is read and shown instead of "reading…"
    assertEquals("tinytales", vm.value("data.corpus").get());
    assertEquals("tinytales", opened.getLast().data().corpus());
    assertEquals("tinytales", vm.build().data().corpus(), "Train uses what is shown");
  }

  @Test
  void savingWritesAConfigThatReadsBackAndRefusesAnInvalidOne(@TempDir Path dir)
      throws Exception {
    ConfigViewModel vm = settings();
    vm.set("train.steps", "1234");
    Path file = dir.resolve("mine.json");
    vm.save(file);
    assertEquals(1234, RunConfig.load(file).train().steps());
    assertEquals(file, vm.fileProperty().get());
    vm.set("train.steps", "-1");
    org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> vm.save(file));
    assertEquals(1234, RunConfig.load(file).train().steps(), "the old file is untouched");
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void aFullRunOfferStatesTheMeasuredCostOfTheWholeRun() {
    RunConfig full = RunConfig.load(Path.of("sample-configs/full.json"));
    var offer = new FullRunOffer(full,
        new dev.diffulab.core.snapshot.StepCost(14.2, 860, "CPU", 3, 0.9, 60));
    assertEquals(426_000_000L, offer.etaMillis());
    String text = offer.describe();
    assertTrue(text.startsWith("full: masked diffusion, 8 layers × 384 wide, batch 128,"
        + " 30,000 steps."), text);
    assertTrue(text.contains("One step takes 14.20 s on the CPU (measured over 3 steps, 860"
        + " tokens/s), so training needs about 4 d 22 h"), text);
    assertTrue(text.contains("On a GPU the same run takes minutes."));
    assertTrue(text.contains("Checkpoints are written every 1,000 steps and on Stop."));
    assertEquals("3 h 05 min", TrainViewModel.duration(11_100_000));
    assertEquals("12 min 00 s", TrainViewModel.duration(720_000));
    assertEquals("4 d 22 h", TrainViewModel.duration((4 * 24 + 22) * 3_600_000L));
    assertEquals("40 s", TrainViewModel.duration(40_000));
  }

  @Test
  void savedSettingsAreKeptOnlyWhenValidAndABadFileIsNamed(@TempDir Path dir) throws Exception {
    String before = System.getProperty("diffulab.settingsFile");
    try {
      System.setProperty("diffulab.settingsFile", "");
      assertEquals(Optional.empty(), SavedSettings.file(), "an empty property keeps nothing");
      Path file = dir.resolve("settings.json");
      System.setProperty("diffulab.settingsFile", file.toString());
      assertEquals(Optional.empty(), SavedSettings.load(), "nothing saved yet");
      ConfigViewModel vm = settings();
      vm.set("train.steps", "99");
      SavedSettings.save(vm);
      assertEquals(99, SavedSettings.load().orElseThrow().train().steps());
      vm.set("train.steps", "-5");
      SavedSettings.save(vm);
      assertEquals(99, SavedSettings.load().orElseThrow().train().steps(),
          "invalid settings leave the last valid ones");
      Files.writeString(file, "{ not json");
      InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
          SavedSettings::load);
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    } finally {
      System.setProperty("diffulab.settingsFile", before == null ? "" : before);
    }
  }
}
