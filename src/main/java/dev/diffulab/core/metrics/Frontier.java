package dev.diffulab.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The quality–diversity trade of a sampler sweep: each point's quality (TinyTales validity, or
 * one minus the bigram distance to held-out text) against its diversity (distinct-2 as a ratio
 * to the corpus), and which points are on the Pareto front — no other point is at least as good
 * on both and better on one.
 */
public final class Frontier {
  private Frontier() {
  }

  /** One evaluated setting. */
  public record Point(String label, double quality, double diversity, boolean onFront) {
  }

  /** The points with their front marked (NaN coordinates are never on it). */
  public static List<Point> mark(List<Point> points) {
    List<Point> out = new ArrayList<>();
    for (Point p : points) {
      boolean dominated = Double.isNaN(p.quality()) || Double.isNaN(p.diversity());
      for (Point q : points) {
        if (dominated) {
          break;
        }
        if (q != p && q.quality() >= p.quality() && q.diversity() >= p.diversity()
            && (q.quality() > p.quality() || q.diversity() > p.diversity())) {
          dominated = true;
        }
      }
      out.add(new Point(p.label(), p.quality(), p.diversity(), !dominated));
    }
    return out;
  }
}
