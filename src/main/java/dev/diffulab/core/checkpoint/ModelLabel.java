package dev.diffulab.core.checkpoint;

import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.text.Durations;
import java.util.ArrayList;
import java.util.List;

/**
 * The one line that says which model is open, from its config and manifest: "demo · masked
 * diffusion · 4 × 192 · trained 2 h 40 min on a 2-core CPU · 72 % valid". What the manifest does
 * not know (an older checkpoint's training time, an unevaluated model's validity) is left out
 * rather than guessed; a run stopped before its last step says which step it reached.
 */
public final class ModelLabel {
  private ModelLabel() {
  }

  public static String of(RunConfig config, Manifest manifest) {
    List<String> parts = new ArrayList<>();
    parts.add(manifest.name() == null || manifest.name().isBlank()
        ? config.name()
        : manifest.name());
    parts.add(config.method().label());
    parts.add(config.model().layers() + " × " + config.model().dModel());
    if (manifest.totalSteps() > 0 && manifest.step() < manifest.totalSteps()) {
      parts.add(String.format("step %,d of %,d", manifest.step(), manifest.totalSteps()));
    } else {
      parts.add(String.format("%,d steps", manifest.step()));
    }
    if (manifest.trainSeconds() > 0) {
      String on = manifest.hardware() == null || manifest.hardware().isBlank()
          ? ""
          : " on a " + manifest.hardware();
      parts.add("trained " + Durations.format((long) (manifest.trainSeconds() * 1000)) + on);
    }
    double valid = manifest.validFraction();
    if (!Double.isNaN(valid)) {
      parts.add(Math.round(valid * 100) + " % valid");
    }
    return String.join(" · ", parts);
  }
}
