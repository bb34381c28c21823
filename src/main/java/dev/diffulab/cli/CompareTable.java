package dev.diffulab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.diffulab.core.metrics.CompareColumns;

/**
 * {@code evaluate --compare} as a table: one row a checkpoint, the columns every evaluation of
 * that kind reports (the ones no row has are left out), numbers to four places.
 */
final class CompareTable {
  private CompareTable() {
  }

  static String of(List<Map<String, Object>> rows) {
    List<CompareColumns.Column> cols = CompareColumns.present(rows);
    List<String[]> cells = new ArrayList<>();
    String[] head = new String[cols.size()];
    for (int i = 0; i < head.length; i++) {
      head[i] = cols.get(i).heading();
    }
    cells.add(head);
    for (Map<String, Object> r : rows) {
      String[] line = new String[cols.size()];
      for (int i = 0; i < line.length; i++) {
        line[i] = CompareColumns.cell(r.get(cols.get(i).key()));
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
}
