package dev.diffulab.engine.model;

import ai.djl.ndarray.NDScope;
import dev.diffulab.engine.model.DenoiserModel;
import java.util.ArrayList;
import java.util.List;

/** Which parameters hold NaN or infinite values: what to report when a run diverges. */
public final class NonFinite {
  private NonFinite() {
  }

  public static List<String> parameters(DenoiserModel<?> model) {
    List<String> bad = new ArrayList<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (var p : model.parameters()) {
        if (p.getArray().isInfinite().any().getBoolean()
            || p.getArray().isNaN().any().getBoolean()) {
          bad.add(p.getName() + " " + p.getArray().getShape());
        }
      }
    }
    return bad;
  }
}
