package dev.diffulab.ui.denoise;

import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.pairs.Answering;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;

/**
 * How many denoising steps the open model's answers need: held-out prompts answered with the
 * Denoise settings at each step count, exact accuracy (and the share of right parts) per count,
 * measured on the engine after any running training, cancellable.
 */
public final class StepsCurveViewModel {
  private final AppSession session;
  private final EngineMeasurement measurement;
  private final ReadOnlyObjectWrapper<List<Map<String, Object>>> rows = new ReadOnlyObjectWrapper<>();

  public StepsCurveViewModel(AppSession session) {
    this.session = session;
    this.measurement = new EngineMeasurement(session, "Measuring accuracy by steps");
  }

  /**
   * The step counts to try, written as {@code 1,2,4,8}: each 1 or more, at most {@code most}
   * (the model's canvas); an {@link dev.diffulab.core.InputException} naming what is wrong.
   */
  public static int[] parseSteps(String text, int most) {
    String[] parts = text.strip().split("[,\\s]+");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new dev.diffulab.core.InputException("step counts: '" + parts[i]
            + "' is not a whole number (write them as 1,2,4,8)");
      }
      if (out[i] < 1 || out[i] > most) {
        throw new dev.diffulab.core.InputException("step counts: " + out[i] + " is not between"
            + " 1 and " + most + " (the model's canvas)");
      }
    }
    return java.util.Arrays.stream(out).distinct().sorted().toArray();
  }

  /** The step counts offered first: powers of two up to the canvas, and the canvas. */
  public static String defaultSteps(int canvas) {
    StringBuilder b = new StringBuilder();
    for (int s = 1; s < canvas; s *= 2) {
      b.append(s).append(',');
    }
    return b.append(canvas).toString();
  }

  /** Measures {@code steps} with {@code sampler}, {@code prompts} held-out prompts each. */
  public void run(SamplerConfig sampler, String steps, int canvas, int prompts, long seed,
      boolean multiPass) {
    if (measurement.busy()) {
      return;
    }
    int[] counts;
    try {
      counts = parseSteps(steps, canvas);
    } catch (dev.diffulab.core.InputException e) {
      Errors.show(e.getMessage());
      return;
    }
    measurement.start(progress -> session.service().accuracyBySteps(null, sampler, counts,
        prompts, new Answering(1, multiPass), seed, progress),
        (done, all) -> measurement.status("measured " + done + " of " + all + " step counts"),
        result -> {
          measurement.status(summary(result, prompts, seed));
          rows.set(result);
        });
  }

  /** One line: the fewest steps that reach the best accuracy measured. */
  static String summary(List<Map<String, Object>> rows, int prompts, long seed) {
    if (rows.size() == 1 && number(rows.getFirst(), "steps") == 0) {
      return String.format(Locale.ROOT, "%.1f %% exact on %d held-out prompts, seed %d — the"
          + " autoregressive baseline writes one token a step",
          100 * number(rows.getFirst(),
              "exact_accuracy"),
          prompts, seed);
    }
    Map<String, Object> best = rows.getFirst();
    for (var r : rows) {
      if (number(r, "exact_accuracy") > number(best, "exact_accuracy")) {
        best = r;
      }
    }
    return String.format(Locale.ROOT, "%d held-out prompts, seed %d; best %.1f %% exact, first"
        + " reached at %d steps", prompts, seed, 100 * number(best, "exact_accuracy"),
        (int) number(best, "steps"));
  }

  static double number(Map<String, Object> row, String key) {
    return row.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  public void cancel() {
    measurement.cancel();
  }

  /** The rows as CSV: steps, exact accuracy, right parts (blank where none), answers/s. */
  public void exportCsv(Path csv) throws IOException {
    List<Map<String, Object>> r = rows.get();
    if (r == null) {
      return;
    }
    StringBuilder b = new StringBuilder("steps,exact_accuracy,parts_right,answers_per_s\n");
    for (var row : r) {
      double parts = Double.isNaN(number(row, "partial_product_share"))
          ? number(row, "fact_share")
          : number(row, "partial_product_share");
      b.append((int) number(row, "steps")).append(',').append(number(row, "exact_accuracy"))
          .append(',').append(Double.isNaN(parts) ? "" : String.valueOf(parts)).append(',')
          .append(number(row, "answers_per_s")).append('\n');
    }
    Files.writeString(csv, b.toString());
    dev.diffulab.ui.common.Notices.done("Exported accuracy by steps", csv.getFileName()
        .toString(), csv.toAbsolutePath().getParent());
  }

  public ReadOnlyBooleanProperty busyProperty() {
    return measurement.busyProperty();
  }

  public ReadOnlyStringProperty statusProperty() {
    return measurement.statusProperty();
  }

  /** 0…1 while step counts are measured, −1 while waiting for the first. */
  public ReadOnlyDoubleProperty progressProperty() {
    return measurement.progressProperty();
  }

  /** The measured rows (steps, exact_accuracy, parts, answers_per_s), or null. */
  public ReadOnlyObjectProperty<List<Map<String, Object>>> rowsProperty() {
    return rows.getReadOnlyProperty();
  }
}
