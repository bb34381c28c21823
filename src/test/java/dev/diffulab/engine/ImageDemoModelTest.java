package dev.diffulab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.core.gaussian.GaussianConfig;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped image demo model (when the build carries one) loads from the application and
 * draws pictures the shipped classifier recognises as the classes they were asked for: 40
 * pictures, four of each class, at DDIM 20 steps with its shipped guidance.
 */
class ImageDemoModelTest {
  @Test
  void theImageDemoDrawsTheClassesItIsAskedFor() throws Exception {
    Assumptions.assumeTrue(DemoModels.availableImages().contains("demo-images"),
        "this build carries no image demo model");
    var dir = DemoModels.folder("demo-images");
    var info = LabService.readImageCheckpoint(dir);
    assertEquals("images", info.manifest().modality());
    assertTrue(info.manifest().step() > 0 && info.manifest().trainSeconds() > 0);
    try (LabService lab = new LabService(dev.diffulab.core.config.DeviceChoice.CPU, s -> {
    }).start()) {
      var s = info.config().sampler();
      Map<String, Object> report = lab.evaluateImages(dir, new GaussianConfig.Sampler(20, 0.0,
          s.guidance(), 40, s.guidanceInterval()), true, 11, null, null, false).get();
      assertTrue(!report.containsKey("bits_per_dim"), "the bound left out when asked");
      double asked = (Double) report.get("asked_class_accuracy");
      double recognisable = (Double) report.get("recognisable_fraction");
      assertTrue(asked >= 0.6, "asked-class accuracy " + asked + ": " + report);
      assertTrue(recognisable >= 0.4, "recognisable " + recognisable + ": " + report);
    }
  }
}
