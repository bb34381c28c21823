package dev.diffulab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evaluate --compare} as a table: one row a checkpoint, the columns every evaluation of
 * that kind reports (the ones no row has are left out), numbers to four places.
 */
final class CompareTable {
  /** The columns, in order, as the report names them, with their headings. */
  private static final String[][] COLUMNS = {{"checkpoint", "checkpoint"},
      {"method", "method"}, {"parameters", "params"}, {"step", "step"}, {"steps", "steps"},
      {"train_seconds", "train s"}, {"self_consistency_k", "k"},
      {"exact_accuracy", "exact"}, {"partial_product_share", "partials"}, {"fact_share", "facts"},
      {"answers_per_s", "answers/s"}, {"valid_fraction", "valid"},
      {"nelbo_bits_per_token", "bits/token"}};

  private CompareTable() {
  }

  static String of(List<Map<String, Object>> rows) {
    List<String[]> cols = new ArrayList<>();
    for (String[] c : COLUMNS) {
      if (rows.stream().anyMatch(r -> r.containsKey(c[0]))) {
        cols.add(c);
      }
    }
    List<String[]> cells = new ArrayList<>();
    String[] head = new String[cols.size()];
    for (int i = 0; i < head.length; i++) {
      head[i] = cols.get(i)[1];
    }
    cells.add(head);
    for (Map<String, Object> r : rows) {
      String[] line = new String[cols.size()];
      for (int i = 0; i < line.length; i++) {
        line[i] = cell(r.get(cols.get(i)[0]));
      }
      cells.add(line);
    }
    int[] width = new int[cols.size()];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        out.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[i] + "s",
            line[i]));
      }
      out.append(System.lineSeparator());
    }
    return out.toString();
  }

  private static String cell(Object v) {
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
