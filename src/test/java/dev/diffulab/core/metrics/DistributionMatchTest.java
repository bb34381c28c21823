package dev.diffulab.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.tinytales.StoryFacts;
import dev.diffulab.core.tinytales.TinyTalesCorpus;
import dev.diffulab.core.tinytales.TinyTalesValidator;
import dev.diffulab.core.tinytales.Words;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The distribution-match measures on sets whose answer is known. */
class DistributionMatchTest {
  private static final List<String> CORPUS = TinyTalesCorpus.stories(6000, 11);
  /** Stories the corpus does not hold, from another seed: a model that matched it perfectly. */
  private static final List<String> FAITHFUL = TinyTalesCorpus.stories(256, 12345);

  private static List<int[]> ids(List<String> texts) {
    Map<String, Integer> vocab = new HashMap<>();
    List<int[]> out = new ArrayList<>();
    for (String t : texts) {
      out.add(Words.split(t).stream().mapToInt(w -> vocab.computeIfAbsent(w, k -> vocab.size()))
          .toArray());
    }
    return out;
  }

  @Test
  void totalVariationByHand() {
    assertEquals(0.5, DistributionMatch.totalVariation(Map.of("a", 1L, "b", 1L), Map.of("a", 5L)),
        1e-12);
    assertEquals(0, DistributionMatch.totalVariation(Map.of("a", 2L, "b", 6L),
        Map.of("a", 1L, "b", 3L)), 1e-12);
    assertEquals(1, DistributionMatch.totalVariation(Map.of("a", 2L), Map.of("b", 3L)), 1e-12);
    assertEquals(0.3, DistributionMatch.totalVariation(Map.of("a", 8L, "b", 2L),
        Map.of("a", 5L, "b", 5L)), 1e-12);
  }

  @Test
  void selfBleuIsOneForCopiesAndLowForStrangers() {
    int[] a = {1, 2, 3, 4, 5, 6, 7, 8};
    assertEquals(1, DistributionMatch.selfBleu(List.of(a, a.clone(), a.clone()), 4), 1e-12);
    double strangers = DistributionMatch.selfBleu(List.of(a, new int[]{9, 10, 11, 12, 13, 14,
        15, 16}), 4);
    assertTrue(strangers < 0.05, "no shared n-gram: " + strangers);
  }

  @Test
  void oneStoryRepeatedScoresAtTheBottom() {
    List<String> same = Collections.nCopies(256, FAITHFUL.getFirst());
    List<int[]> corpusIds = ids(CORPUS);
    List<int[]> sameIds = ids(same);
    double ratio = DistributionMatch.distinctRatio(sameIds, corpusIds, 2, 1);
    // its floor: one story's own bigrams, counted 256 times over
    double floor = SampleMetrics.distinct(sameIds.subList(0, 1), 2) / 256
        / SampleMetrics.distinct(DistributionMatch.draw(corpusIds, 256, 1), 2);
    assertEquals(floor, ratio, 1e-9, "distinct-2 ratio of one story 256 times");
    assertTrue(ratio < 0.05, "distinct-2 ratio " + ratio);
    assertEquals(1, DistributionMatch.selfBleu(sameIds, 4), 1e-9);
    StoryMatch m = StoryMatch.of(StoryMatch.facts(same), StoryMatch.facts(CORPUS), 3);
    assertEquals(256, m.stories());
    assertTrue(m.worstDistance() > 0.8, "one story's worst attribute: " + m);
    assertTrue(m.distance().get("gender") >= 0.4, "all one gender: " + m.distance());
  }

  @Test
  void theCorpusAgainstItselfScoresAtItsFloor() {
    List<StoryFacts> corpus = StoryMatch.facts(CORPUS);
    assertEquals(CORPUS.size(), corpus.size(), "every generated story parses");
    StoryMatch m = StoryMatch.of(StoryMatch.facts(FAITHFUL), corpus, 3);
    for (String a : m.distance().keySet()) {
      double d = m.distance().get(a);
      double floor = m.floor().get(a);
      assertTrue(d < 2.5 * floor + 0.02, a + ": " + d + " against a floor of " + floor);
    }
    assertTrue(m.distance().get("gender") < 0.1, "gender " + m.distance().get("gender"));
    double ratio = DistributionMatch.distinctRatio(ids(FAITHFUL), ids(CORPUS), 2, 1);
    assertTrue(Math.abs(ratio - 1) < 0.1, "distinct-2 ratio " + ratio);
    double sampleBleu = DistributionMatch.selfBleu(ids(FAITHFUL), 4);
    double corpusBleu = DistributionMatch.selfBleu(
        DistributionMatch.draw(ids(CORPUS), 256, 5), 4);
    assertTrue(Math.abs(sampleBleu - corpusBleu) < 0.05, sampleBleu + " vs " + corpusBleu);
  }

  @Test
  void factsCountWhatTheStorySays() {
    String story = FAITHFUL.getFirst();
    StoryFacts f = new TinyTalesValidator().facts(story).orElseThrow();
    List<String> words = Words.split(story);
    for (String name : f.of("name")) {
      assertTrue(words.contains(name), name + " in " + story);
    }
    assertEquals(f.of("name").size(), f.of("gender").size());
    assertEquals(Long.parseLong(f.of("sentences").getFirst()), f.of("pattern").size());
    assertTrue(new TinyTalesValidator().facts("Tom went to the park .").isEmpty());
  }
}
