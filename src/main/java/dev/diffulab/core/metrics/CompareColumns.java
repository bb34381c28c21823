package dev.diffulab.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of a comparison of evaluated checkpoints ({@code evaluate --compare}, the window's
 * comparison): one row a checkpoint, the columns every evaluation of that kind reports, in a
 * fixed order, each with its heading; numbers to four places.
 */
public final class CompareColumns {
  /** A report key and its heading. */
  public record Column(String key, String heading) {
  }

  private static final List<Column> ALL = List.of(new Column("checkpoint", "checkpoint"),
      new Column("method", "method"), new Column("parameters", "params"),
      new Column("step", "step"), new Column("steps", "steps"),
      new Column("train_seconds", "train s"), new Column("self_consistency_k", "k"),
      new Column("exact_accuracy", "exact"), new Column("partial_product_share", "partials"),
      new Column("fact_share", "facts"), new Column("answers_per_s", "answers/s"),
      new Column("valid_fraction", "valid"),
      new Column("nelbo_bits_per_token", "bits/token"));

  private CompareColumns() {
  }

  /** The columns some row has, in order (the ones no row has are left out). */
  public static List<Column> present(List<Map<String, Object>> rows) {
    List<Column> out = new ArrayList<>();
    for (Column c : ALL) {
      if (rows.stream().anyMatch(r -> r.containsKey(c.key()))) {
        out.add(c);
      }
    }
    return out;
  }

  /** A value as a cell: "–" for none or NaN, whole numbers without decimals, else four places. */
  public static String cell(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Double d) {
      return Double.isNaN(d)
          ? "–"
          : d == Math.rint(d) && Math.abs(d) < 1e12
              ? String.valueOf(d.longValue())
              : String.format(Locale.ROOT, "%.4f", d);
    }
    if (v instanceof Float f) {
      return cell(f.doubleValue());
    }
    return String.valueOf(v);
  }
}
