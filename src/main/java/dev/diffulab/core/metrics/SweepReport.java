package dev.diffulab.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's rows as a person reads them: quality (TinyTales validity, else one minus the bigram
 * distance to held-out text) against diversity (distinct-2 as a ratio to the corpus), the
 * Pareto front marked, as a table and as CSV (for {@code evaluate --sweep} and the window's
 * frontier view).
 */
public record SweepReport(List<Map<String, Object>> rows, List<Frontier.Point> points,
    String qualityName, String diversityName) {
  public static final List<String> COLUMNS = List.of("valid_fraction", "distinct_2_ratio",
      "worst_attribute", "worst_attribute_tv", "self_bleu", "corpus_self_bleu", "copy_fraction",
      "unigram_tv", "bigram_tv", "bigram_tv_floor", "sampler");

  public static SweepReport of(List<Map<String, Object>> rows) {
    boolean validity = !rows.isEmpty() && rows.getFirst().containsKey("valid_fraction");
    List<Frontier.Point> raw = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      double q = validity ? number(r, "valid_fraction") : 1 - number(r, "bigram_tv");
      raw.add(new Frontier.Point(String.valueOf(r.get("label")), q,
          number(r, "distinct_2_ratio"), false));
    }
    return new SweepReport(rows, Frontier.mark(raw),
        validity ? "valid stories (fraction)" : "1 - bigram TV to held-out text",
        "distinct-2 / corpus distinct-2");
  }

  /** The number under {@code key}, or NaN. */
  public static double number(Map<String, Object> r, String key) {
    return r.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** "feeling 0.360": the row's worst attribute and its distance, or {@code none}. */
  public static String worst(Map<String, Object> r, String none) {
    return r.containsKey("worst_attribute")
        ? String.format(Locale.ROOT, "%s %.3f", r.get("worst_attribute"),
            number(r, "worst_attribute_tv"))
        : none;
  }

  public String csv() {
    StringBuilder b = new StringBuilder("label,quality,diversity,on_front");
    COLUMNS.forEach(c -> b.append(',').append(c));
    b.append('\n');
    for (int i = 0; i < rows.size(); i++) {
      Frontier.Point p = points.get(i);
      b.append(quote(p.label())).append(',').append(p.quality()).append(',')
          .append(p.diversity()).append(',').append(p.onFront());
      for (String c : COLUMNS) {
        Object v = rows.get(i).get(c);
        b.append(',').append(v == null
            ? ""
            : v instanceof Number
                ? v.toString()
                : quote(v.toString()));
      }
      b.append('\n');
    }
    return b.toString();
  }

  public String table() {
    int w = Math.max(7, points.stream().mapToInt(p -> p.label().length()).max().orElse(0));
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + w
        + "s  %8s  %9s  %-20s  %9s  front%n", "setting", "quality", "diversity", "worst attribute",
        "self-BLEU"));
    for (int i = 0; i < rows.size(); i++) {
      Frontier.Point p = points.get(i);
      Map<String, Object> r = rows.get(i);
      String worst = worst(r, "-");
      b.append(String.format(Locale.ROOT, "%-" + w + "s  %8.3f  %9.3f  %-20s  %9.3f  %s%n",
          p.label(), p.quality(), p.diversity(), worst, number(r, "self_bleu"),
          p.onFront() ? "*" : ""));
    }
    return b.toString();
  }

  private static String quote(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
