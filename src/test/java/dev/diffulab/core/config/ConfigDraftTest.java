package dev.diffulab.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDraftTest {
  private static RunConfig quickTest() throws Exception {
    return RunConfig.load(Path.of("sample-configs/quick-test.json"));
  }

  @Test
  void anUntouchedDraftIsTheConfigItCameFrom() throws Exception {
    RunConfig base = quickTest();
    ConfigDraft draft = ConfigDraft.of(base);
    assertTrue(draft.valid());
    assertEquals(base, draft.build());
    assertEquals("0.001", draft.text("train.learning_rate"));
    assertEquals("2400", draft.text("train.steps"));
    assertEquals(ConfigDraft.Kind.CHOICE, draft.field("sampler.schedule").kind());
    assertTrue(draft.field("sampler.schedule").choices().contains("cosine"));
    assertEquals(ConfigDraft.Kind.BOOLEAN, draft.field("data.packing").kind());
    assertEquals(ConfigDraft.Kind.CHOICE, draft.field("sampler.confidence").kind());
    assertEquals(ConfigDraft.Kind.CHOICE, draft.field("autoencoder.noise_schedule").kind());
    assertEquals(76, draft.fields().size(), "every leaf of the config is a field");
    assertEquals("0.1", draft.text("sampler.min_p"));
    assertEquals("0", draft.text("sampler.eta"));
    assertEquals("1", draft.text("sampler.noise_temperature"));
    assertTrue(draft.fields().stream().allMatch(f -> !f.description().isEmpty()),
        "every field says what it does");
  }

  @Test
  void eachBadFieldIsMarkedWithItsOwnProblemWhileTheOthersStayClean() throws Exception {
    ConfigDraft draft = ConfigDraft.of(quickTest());
    draft.set("train.learning_rate", "fast");
    draft.set("model.layers", "0");
    draft.set("sampler.top_p", "1.5");
    assertFalse(draft.valid());
    assertEquals(Map.of("model.layers", "must be between 1 and 64, got 0",
        "train.learning_rate", "expected a number, got \"fast\"",
        "sampler.top_p", "must be between 1.0E-6 and 1.0, got 1.5"), draft.errors());
    assertNull(draft.error("train.steps"));
    ConfigException e = assertThrows(ConfigException.class, draft::build);
    assertEquals("model.layers", e.key(), "the first field at fault, in field order");
    draft.set("train.learning_rate", "2e-4");
    draft.set("model.layers", "4");
    draft.set("sampler.top_p", "0.95");
    assertTrue(draft.valid(), draft.errors().toString());
    assertEquals(2e-4, draft.build().train().learningRate());
    assertEquals(4, draft.build().model().layers());
  }

  @Test
  void crossFieldRulesAndMissingFilesAreMarkedAtTheField(@TempDir Path dir) throws Exception {
    ConfigDraft draft = ConfigDraft.of(quickTest());
    draft.set("model.heads", "5");
    assertEquals("5 heads do not divide model.d_model = 128", draft.error("model.heads"));
    draft.set("model.heads", "4");
    draft.set("masking.prefix_tokens", "200");
    assertEquals("must be below model.seq_len = 96", draft.error("masking.prefix_tokens"));
    draft.set("masking.prefix_tokens", "0");
    draft.set("data.corpus", dir.resolve("missing.txt").toString());
    assertTrue(draft.error("data.corpus").startsWith("no such file"));
    Path corpus = Files.writeString(dir.resolve("c.txt"), "Once upon a time.\n");
    draft.set("data.corpus", corpus.toString());
    assertTrue(draft.valid(), draft.errors().toString());
    assertEquals(corpus.toString(), draft.build().data().corpus());
    draft.set("train.steps", "12.5");
    assertEquals("expected a whole number, got 12.5", draft.error("train.steps"));
  }

  @Test
  void aSavedDraftReadsBackAsTheSameConfigAndLoadReplacesEveryField(@TempDir Path dir)
      throws Exception {
    ConfigDraft draft = ConfigDraft.of(quickTest());
    draft.setAll(Map.of("model.d_model", "256", "model.layers", "6", "model.heads", "4",
        "model.ffn", "1024"));
    draft.set("method", "cdcd");
    Path file = dir.resolve("mine.json");
    Files.writeString(file, draft.toJson());
    RunConfig back = RunConfig.load(file);
    assertEquals(draft.build(), back);
    assertEquals(ModelSize.SMALL, ModelSize.of(256, 6, 4, 1024).orElseThrow());
    draft.load(RunConfig.load(Path.of("sample-configs/full.json")));
    assertEquals("30000", draft.text("train.steps"));
    assertEquals("masked", draft.text("method"));
    draft.set("train.batch_size", "");
    assertThrows(ConfigException.class, draft::toJson, "an invalid draft is not written");
  }
}
