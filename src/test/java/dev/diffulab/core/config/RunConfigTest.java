package dev.diffulab.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunConfigTest {
  @Test
  void everySampleConfigParsesAndRoundTrips() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("sample-configs"))) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().endsWith("-images.json")) {
          // image configs are the Gaussian family's (GaussianConfigTest reads them)
          var g = dev.diffulab.core.gaussian.GaussianConfig.load(f);
          assertEquals(g, dev.diffulab.core.gaussian.GaussianConfig.parse(g.toJson(), "again"));
          continue;
        }
        RunConfig c = RunConfig.load(f);
        assertEquals(c, RunConfig.parse(c.toJson(), "round trip"), f.toString());
      }
    }
  }

  @Test
  void unknownKeyIsNamedWithItsPath() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> RunConfig.parse("{\"model\": {\"d_modle\": 64}}", "x.json"));
    assertEquals("x.json: config key 'model.d_modle': unknown key", e.getMessage());
  }

  @Test
  void outOfRangeAndWrongTypeValuesAreNamed() {
    assertTrue(assertThrows(ConfigException.class,
        () -> RunConfig.parse("{\"train\": {\"learning_rate\": -1}}", "x.json")).getMessage()
        .contains("'train.learning_rate': must be between"));
    assertTrue(assertThrows(ConfigException.class,
        () -> RunConfig.parse("{\"sampler\": {\"schedule\": \"cubic\"}}", "x.json")).getMessage()
        .contains("'sampler.schedule': must be one of [linear, cosine, exponential]"));
    assertTrue(assertThrows(ConfigException.class,
        () -> RunConfig.parse("{\"model\": {\"d_model\": 30, \"heads\": 4}}", "x.json"))
        .getMessage().contains("'model.heads'"));
    assertTrue(assertThrows(ConfigException.class,
        () -> RunConfig.parse("{\"train\": {\"steps\": 1.5}}", "x.json")).getMessage()
        .contains("'train.steps': expected a whole number"));
  }

  @Test
  void brokenJsonAndMissingFilesAreNamed() {
    assertTrue(assertThrows(ConfigException.class, () -> RunConfig.parse("{\"a\": ", "x.json"))
        .getMessage().startsWith("x.json is not valid JSON"));
    assertEquals("config file nowhere.json does not exist", assertThrows(ConfigException.class,
        () -> RunConfig.load(Path.of("nowhere.json"))).getMessage());
  }

  @Test
  void aShippedConfigCanBeNamedWhereNoSuchFileExists() {
    RunConfig quick = RunConfig.loadOrShipped(Path.of("quick-test"));
    assertEquals(RunConfig.loadOrShipped(Path.of("sample-configs/quick-test.json")).toJson(),
        quick.toJson());
    assertEquals("cdcd", RunConfig.loadOrShipped(Path.of("demo-cdcd.json")).method().id());
    assertEquals("config file no-such-config does not exist", assertThrows(
        ConfigException.class, () -> RunConfig.loadOrShipped(Path.of("no-such-config")))
        .getMessage());
  }

  @Test
  void ddimEtaAndNoiseTemperatureAreSamplerSettingsCheckedByKey() {
    assertEquals(0.0, RunConfig.parse("{}", "x.json").sampler().eta(), 0.0);
    RunConfig c = RunConfig.parse("{\"sampler\": {\"eta\": 0.5}}", "x.json");
    assertEquals(0.5, c.sampler().eta(), 0.0);
    assertEquals(0.5, RunConfig.parse(c.toJson(), "again").sampler().eta(), 0.0);
    assertEquals(1.0, c.sampler().with("eta", "1", 64, "--sweep").eta(), 0.0);
    assertEquals(0.5, c.sampler().withGuidance(2).withBlocks(2).eta(), 0.0, "kept by withers");
    assertTrue(assertThrows(ConfigException.class, () -> RunConfig.parse(
        "{\"sampler\": {\"eta\": 1.5}}", "x.json")).getMessage().contains("sampler.eta"));
    assertEquals(1.0, c.sampler().noiseTemperature(), 0.0);
    assertEquals(0.7, c.sampler().with("noise_temperature", "0.7", 64, "--sweep")
        .noiseTemperature(), 0.0);
    assertEquals(0.5, c.sampler().withNoiseTemperature(0.7).withEta(0.5).eta(), 0.0);
    assertTrue(assertThrows(ConfigException.class, () -> RunConfig.parse(
        "{\"sampler\": {\"noise_temperature\": 0}}", "x.json")).getMessage()
        .contains("sampler.noise_temperature"));
  }

  @Test
  void theFileTheRecordAndTheCommandLineAcceptTheSameRanges() {
    SamplerConfig base = RunConfig.parse("{}", "x.json").sampler();
    Map<String, SamplerConfig.Range> ranges = Map.of("guidance", SamplerConfig.GUIDANCE, "eta",
        SamplerConfig.ETA, "noise_temperature", SamplerConfig.NOISE_TEMPERATURE, "min_p",
        SamplerConfig.MIN_P);
    for (var e : ranges.entrySet()) {
      String key = e.getKey();
      SamplerConfig.Range r = e.getValue();
      for (double v : new double[]{r.min(), r.max()}) {
        SamplerConfig read = RunConfig.parse("{\"sampler\": {\"" + key + "\": " + v + "}}",
            "x.json").sampler();
        assertEquals(read, base.with(key, Double.toString(v), 64, "--sweep"), key + " " + v);
        assertEquals(v, r.check("--" + key, v), 0.0);
      }
      double below = r.min() - 0.005;
      double above = r.max() + 0.005;
      for (double v : new double[]{below, above}) {
        assertTrue(assertThrows(ConfigException.class, () -> RunConfig.parse(
            "{\"sampler\": {\"" + key + "\": " + v + "}}", "x.json")).getMessage()
            .contains("sampler." + key), key + " " + v);
        assertTrue(assertThrows(dev.diffulab.core.InputException.class,
            () -> r.check("--x", v)).getMessage().contains("--x must be in " + r), key);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> base.withNoiseTemperature(0.005));
    assertThrows(IllegalArgumentException.class, () -> base.withMinP(0));
    assertEquals(SamplerConfig.DEFAULT_MIN_P, base.minP(), 0.0);
    assertEquals("[0.01, 2]", SamplerConfig.NOISE_TEMPERATURE.toString());
  }

  @Test
  void guidanceWrittenWhereItWasBeforeIsReadAsTheSamplersOwn() {
    RunConfig old = RunConfig.parse("{\"autoencoder\": {\"guidance\": 2.5}}", "old.json");
    assertEquals(2.5, old.sampler().guidance(), 0.0);
    assertTrue(old.toJson().contains("\"guidance\""), "written back under the sampler");
    assertEquals(2.5, RunConfig.parse(old.toJson(), "again").sampler().guidance(), 0.0);
    assertEquals(1.0, RunConfig.parse("{}", "x.json").sampler().guidance(), 0.0);
    // both at once is a contradiction: the old one is refused by name
    assertTrue(assertThrows(ConfigException.class, () -> RunConfig.parse(
        "{\"autoencoder\": {\"guidance\": 2}, \"sampler\": {\"guidance\": 1}}", "x.json"))
        .getMessage().contains("autoencoder.guidance"));
  }
}
