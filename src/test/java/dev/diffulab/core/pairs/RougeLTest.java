package dev.diffulab.core.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ROUGE-L by hand on titles a review corpus might have. */
class RougeLTest {
  @Test
  void theLongestCommonSubsequenceOfWordsGivesRecallPrecisionAndF1() {
    // reference 6 words, candidate 5; common in order: "battery", "lasts", "all", "day" → 4
    RougeL.Score s = RougeL.score("The battery lasts all day long",
        "battery really lasts all day");
    assertEquals(4, s.common());
    assertEquals(4 / 6.0, s.recall(), 1e-12);
    assertEquals(4 / 5.0, s.precision(), 1e-12);
    assertEquals(8 / 11.0, s.f1(), 1e-12);
  }

  @Test
  void orderMattersCaseAndPunctuationDoNot() {
    assertEquals(1.0, RougeL.score("Great phone!", "great phone !").f1(), 1e-12);
    // the same words reversed share one word in order, not three
    assertEquals(1, RougeL.score("good cheap fast", "fast cheap good").common());
    assertEquals(0.0, RougeL.score("anything", "").f1());
    assertEquals(0.0, RougeL.score("", "").f1());
  }
}
