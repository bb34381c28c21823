package dev.diffulab.core.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The image config: the shipped one reads, and a wrong value is named with its key. */
class GaussianConfigTest {
  private static final String GOOD = """
      {"name": "x", "seed": 1, "model": {"channels": 16, "class_conditional": true,
       "label_dropout": 0.1},
       "diffusion": {"steps": 300, "schedule": "SCHEDULE", "prediction": "epsilon",
       "loss": "mse"},
       "train": {"steps": 10, "batch_size": 8, "learning_rate": 0.001, "warmup_steps": 1,
       "log_every": 5},
       "sampler": {"steps": 50, "eta": ETA, "guidance": 2.0, "num_samples": 4}}
      """;

  @Test
  void theShippedQuickTestReadsAndRoundTrips() {
    GaussianConfig c = GaussianConfig.loadOrShipped(Path.of("quick-test-images"));
    assertEquals("quick-test-images", c.name());
    assertEquals(GaussianConfig.Prediction.EPSILON, c.prediction());
    assertEquals(c, GaussianConfig.parse(c.toJson(), "again"));
    assertEquals(NoiseSchedule.Kind.COSINE, c.schedule().kind());
  }

  @Test
  void aGuidanceIntervalReadsRoundTripsAndIsCheckedByName() {
    GaussianConfig none = GaussianConfig.parse(GOOD.replace("SCHEDULE", "cosine")
        .replace("ETA", "0"), "my.json");
    assertEquals(null, none.sampler().guidanceInterval());
    assertEquals(0.0, none.sampler().guidanceFrom());
    assertEquals(1.0, none.sampler().guidanceTo());
    assertTrue(!none.toJson().contains("guidance_interval"), "absent stays absent");
    GaussianConfig some = GaussianConfig.parse(GOOD.replace("SCHEDULE", "cosine")
        .replace("ETA", "0").replace("\"num_samples\": 4", "\"num_samples\": 4,"
            + " \"guidance_interval\": [0.25, 0.9]"),
        "my.json");
    assertEquals(0.25, some.sampler().guidanceFrom());
    assertEquals(0.9, some.sampler().guidanceTo());
    assertTrue(some.sampler().guidanceLimited());
    assertEquals(some, GaussianConfig.parse(some.toJson(), "again"));
    GaussianConfig.Sampler s = some.sampler();
    assertEquals(none.sampler(), new GaussianConfig.Sampler(s.steps(), s.eta(), s.guidance(),
        s.numSamples()), "only the interval differs");
    for (String bad : new String[]{"[0.9, 0.25]", "[0.5]", "[-0.1, 1]", "[0, 1.5]",
        "[0.3, 0.3]"}) {
      InputException e = assertThrows(InputException.class, () -> GaussianConfig.parse(
          GOOD.replace("SCHEDULE", "cosine").replace("ETA", "0").replace("\"num_samples\": 4",
              "\"num_samples\": 4, \"guidance_interval\": " + bad),
          "my.json"), bad);
      assertTrue(e.getMessage().startsWith("my.json: sampler.guidance_interval must be"),
          e.getMessage());
    }
  }

  @Test
  void aWrongValueIsNamedWithItsKey() {
    InputException schedule = assertThrows(InputException.class, () -> GaussianConfig.parse(
        GOOD.replace("SCHEDULE", "quadratic").replace("ETA", "0"), "my.json"));
    assertTrue(schedule.getMessage().startsWith("my.json: diffusion.schedule must be linear or"
        + " cosine"), schedule.getMessage());
    InputException eta = assertThrows(InputException.class, () -> GaussianConfig.parse(
        GOOD.replace("SCHEDULE", "linear").replace("ETA", "1.5"), "my.json"));
    assertTrue(eta.getMessage().contains("sampler.eta must be in [0, 1]"), eta.getMessage());
    InputException w = assertThrows(InputException.class, () -> GaussianConfig.parse(
        GOOD.replace("SCHEDULE", "linear").replace("ETA", "0").replace("2.0", "51"),
        "my.json"));
    assertTrue(w.getMessage().contains("sampler.guidance must be in [0, 50], got 51"),
        w.getMessage());
    assertEquals(50.0, GaussianConfig.parse(GOOD.replace("SCHEDULE", "linear")
        .replace("ETA", "1").replace("2.0", "50"), "my.json").sampler().guidance(),
        "the range's ends are accepted");
    InputException missing = assertThrows(InputException.class,
        () -> GaussianConfig.loadOrShipped(Path.of("no-such-config")));
    assertTrue(missing.getMessage().contains("no-such-config"), missing.getMessage());
  }

  @Test
  void aKeyGivenTwiceIsNamedInEitherKindOfConfig() {
    InputException image = assertThrows(InputException.class, () -> GaussianConfig.parse(
        GOOD.replace("SCHEDULE", "linear").replace("ETA", "0")
            .replace("\"steps\": 10,", "\"steps\": 10, \"steps\": 99,"),
        "my.json"));
    assertTrue(image.getMessage().contains("\"train.steps\" twice"), image.getMessage());
    InputException text = assertThrows(InputException.class,
        () -> dev.diffulab.core.config.RunConfig.parse("{\"method\": \"masked\", \"train\":"
            + " {\"steps\": 100, \"steps\": 10}}", "run.json"));
    assertTrue(text.getMessage().contains("\"train.steps\" twice"), text.getMessage());
    assertEquals(null, dev.diffulab.core.config.DuplicateKeys.first(
        "{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}, \"c\": [{\"x\": 1}, {\"x\": 2}]}"),
        "the same name in different objects is fine");
  }
}
