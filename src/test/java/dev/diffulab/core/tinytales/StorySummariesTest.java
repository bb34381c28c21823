package dev.diffulab.core.tinytales;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.pairs.Pair;
import dev.diffulab.core.pairs.Tasks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Summaries say what the story says, and the grader counts facts right, missing and invented. */
class StorySummariesTest {
  @Test
  void aSummaryStatesTheStorysFacts() {
    String story = "Once upon a time, there was a small mouse named Sam. Later, Sam went to the"
        + " lake to play. On a sunny day, Sam could not find his shiny puzzle. On a sunny day,"
        + " Sam felt angry because he could not find his puzzle. After lunch, he found the puzzle"
        + " under the bed. From that day on, he always took care of his puzzle.";
    String summary = StorySummaries.summary(story).orElseThrow();
    assertEquals("Sam, a small mouse, lost his shiny puzzle and found it under the bed and felt"
        + " angry.", summary);
    assertEquals(Map.of("name", "Sam", "adjective", "small", "kind", "mouse", "object word",
        "shiny", "object", "puzzle", "found at", "under the bed", "feeling", "angry"),
        StorySummaries.read(summary));
    String gift = "Once upon a time, there was a happy owl named Sue. Sue lived with her sister"
        + " Emma. The sun was warm and the sky was blue. Emma gave her a purple map. Sue was very"
        + " cheerful because she had a new map. Sue felt glad and smiled.";
    assertEquals("Sue, a happy owl with a sister named Emma, had a new purple map and felt"
        + " cheerful.", StorySummaries.summary(gift).orElseThrow());
    assertTrue(StorySummaries.summary("Not a story at all.").isEmpty());
  }

  @Test
  void everyGeneratedPairIsGradedAllRightAgainstItself() {
    List<Pair> pairs = Tasks.generate(Tasks.SUMMARIES, 300, 9);
    assertTrue(pairs.size() > 290, "nearly every generated story is valid: " + pairs.size());
    var grader = Tasks.grader(Tasks.SUMMARIES);
    for (Pair p : pairs) {
      var g = StorySummaries.grade(p.response(), p.response());
      assertTrue(g.allRight() && g.stated() >= 4, p.response());
      assertTrue(grader.grade(p.prompt(), p.response(), p.response()).exact());
      // its facts are the story's own: every one appears in the story's text
      for (String v : StorySummaries.read(p.response()).values()) {
        assertTrue(p.prompt().toLowerCase().contains(v.toLowerCase()), v + " in " + p.prompt());
      }
    }
  }

  @Test
  void missingAndInventedFactsAreCounted() {
    String ref = "Sam, a small mouse, lost his shiny puzzle and found it under the bed.";
    var missing = StorySummaries.grade(ref, "Sam, a small mouse, lost his puzzle.");
    assertEquals(4, missing.right());
    assertEquals(6, missing.expected());
    assertEquals(1.0, missing.precision());
    assertFalse(missing.allRight());
    var invented = StorySummaries.grade(ref,
        "Sam, a small mouse, lost his red puzzle and found it under the bed.");
    assertEquals(5, invented.right(), "the red puzzle was shiny");
    assertEquals(5.0 / 6, invented.precision(), 1e-9);
    assertFalse(invented.allRight());
    var g = Tasks.grader(Tasks.SUMMARIES).grade("story", ref, "Sam, a small mouse, lost his"
        + " puzzle.");
    assertEquals(4.0 / 6, g.partialShare(), 1e-9, "right over stated-or-due facts");
    assertEquals("fact_share", Tasks.grader(Tasks.SUMMARIES).partsName());
    // no reference (a story typed in the window): the story's own summary is the reference,
    // read from text as a view joins tokens
    String story = "There was once a tiny bear named Billy . After lunch , he lost his orange"
        + " ribbon at the garden . One morning , he found the ribbon near the door . From that"
        + " day on , he always took care of his ribbon .";
    assertTrue(Tasks.grader(Tasks.SUMMARIES).grade(story, "", "Billy , a tiny bear , lost his"
        + " orange ribbon and found it near the door .").exact());
  }
}
