package dev.diffulab.core.metrics;

import dev.diffulab.core.tinytales.StoryFacts;
import dev.diffulab.core.tinytales.TinyTalesValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How closely the stories a model writes match the TinyTales corpus, fact by fact: for every
 * attribute the validator parses (the characters' gender and names, kinds, places, objects, where
 * things are found, feelings, openers, sentence patterns, length), the total-variation distance
 * between the valid samples' distribution and the corpus's, the worst of them, and the floor —
 * what as many corpus stories score, since a few hundred stories never match a distribution
 * exactly.
 *
 * @param distance attribute → TV distance of the valid samples to the corpus
 * @param floor attribute → mean TV distance of as many corpus stories to the corpus
 * @param worst the attribute with the largest distance
 * @param stories how many samples were valid stories (what the distances count)
 */
public record StoryMatch(Map<String, Double> distance, Map<String, Double> floor, String worst,
    int stories) {

  public StoryMatch {
    distance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(distance));
    floor = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(floor));
  }

  /** The largest distance, NaN when no sample was a valid story. */
  public double worstDistance() {
    return worst == null ? Double.NaN : distance.get(worst);
  }

  /** The facts of every valid story among the texts. */
  public static List<StoryFacts> facts(List<String> texts) {
    TinyTalesValidator v = new TinyTalesValidator();
    List<StoryFacts> out = new ArrayList<>();
    for (String t : texts) {
      v.facts(t).ifPresent(out::add);
    }
    return out;
  }

  /** Counts of one attribute's values over a set of stories. */
  public static Map<String, Long> counts(List<StoryFacts> stories, String attribute) {
    Map<String, Long> c = new HashMap<>();
    for (StoryFacts f : stories) {
      for (String v : f.of(attribute)) {
        c.merge(v, 1L, Long::sum);
      }
    }
    return c;
  }

  /** The samples' stories against the corpus's; the floor drawn with the seed. */
  public static StoryMatch of(List<StoryFacts> samples, List<StoryFacts> corpus, long seed) {
    Map<String, Double> d = new LinkedHashMap<>();
    Map<String, Double> f = new LinkedHashMap<>();
    String worst = null;
    for (String a : StoryFacts.ATTRIBUTES) {
      Map<String, Long> reference = counts(corpus, a);
      if (reference.isEmpty()) {
        continue;
      }
      double tv = samples.isEmpty()
          ? Double.NaN
          : DistributionMatch.totalVariation(counts(samples, a), reference);
      d.put(a, tv);
      f.put(a, DistributionMatch.floor(corpus, samples.size(), s -> counts(s, a), reference,
          seed));
      if (!Double.isNaN(tv) && (worst == null || tv > d.get(worst))) {
        worst = a;
      }
    }
    return new StoryMatch(d, f, worst, samples.size());
  }
}
