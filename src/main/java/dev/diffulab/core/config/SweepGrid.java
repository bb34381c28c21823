package dev.diffulab.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sampler settings a quality–diversity sweep tries: axes of a sampler key and its values,
 * written {@code temperature=0.8,1;top_p=0.9,1;remasking=random,low-confidence}; every
 * combination is one point, applied over a base sampler.
 *
 * @param axes key → values, in the order written
 */
public record SweepGrid(Map<String, List<String>> axes) {
  /** More points than this is hours of sampling on a CPU; split the sweep instead. */
  public static final int MAX_POINTS = 64;

  public SweepGrid {
    axes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(axes));
  }

  /** One setting of the sweep: a label naming what differs from the base, and the sampler. */
  public record Point(String label, SamplerConfig sampler) {
  }

  /** Reads the written form; {@code where} names the option in messages. */
  public static SweepGrid parse(String text, String where) {
    Map<String, List<String>> axes = new LinkedHashMap<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1) {
        throw new dev.diffulab.core.InputException(where + ": '" + part.strip()
            + "' is not key=value,value (e.g. temperature=0.8,1;remasking=random)");
      }
      String key = part.substring(0, eq).strip().replace('-', '_');
      List<String> values = new ArrayList<>();
      for (String v : part.substring(eq + 1).split(",")) {
        if (!v.isBlank()) {
          values.add(v.strip());
        }
      }
      if (axes.put(key, values) != null) {
        throw new dev.diffulab.core.InputException(where + ": " + key + " is given twice");
      }
    }
    if (axes.isEmpty()) {
      throw new dev.diffulab.core.InputException(where + " names no setting to sweep");
    }
    return new SweepGrid(axes);
  }

  /** Every combination over {@code base}, checked as a config file's sampler section is. */
  public List<Point> points(SamplerConfig base, int seqLen, String where) {
    long count = 1;
    for (List<String> v : axes.values()) {
      count *= v.size();
    }
    if (count > MAX_POINTS) {
      throw new dev.diffulab.core.InputException(where + " has " + count + " points; at most "
          + MAX_POINTS + " (sweep fewer values at once)");
    }
    List<Point> points = new ArrayList<>();
    points.add(new Point("", base));
    for (var axis : axes.entrySet()) {
      List<Point> next = new ArrayList<>();
      for (Point p : points) {
        for (String v : axis.getValue()) {
          next.add(new Point((p.label().isEmpty() ? "" : p.label() + " ") + axis.getKey() + "="
              + v, p.sampler().with(axis.getKey(), v, seqLen, where)));
        }
      }
      points = next;
    }
    return points;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    axes.forEach((k, v) -> b.append(b.isEmpty() ? "" : ";").append(k).append('=')
        .append(String.join(",", v)));
    return b.toString();
  }
}
