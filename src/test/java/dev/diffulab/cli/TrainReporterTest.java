package dev.diffulab.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.snapshot.SamplePreview;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code train} prints of a preview: stories with the validator's verdict and the valid
 * share, a pair run's answers as right or wrong, an autoencoder's texts as written back exactly or
 * changed — each by what the preview says it holds, never by the wording of its errors.
 */
class TrainReporterTest {
  private static String printed(SamplePreview p) {
    StringWriter out = new StringWriter();
    new TrainCommand.Reporter(new PrintWriter(out), "mask ratio").accept(p);
    return out.toString();
  }

  @Test
  void answersAllRightArePrintedAsAnswersNotAsStories() {
    String s = printed(new SamplePreview("r", 40, List.of("3 4 → 12", "2 5 → 10"),
        Arrays.asList(null, null), null, SamplePreview.Kind.ANSWERS));
    assertTrue(s.contains("  answer @40: [right] 3 4 → 12"), s);
    assertTrue(s.contains("  answer @40: [right] 2 5 → 10"), s);
    assertFalse(s.contains("valid"), "answers are not judged by the story validator: " + s);
  }

  @Test
  void aWrongAnswerIsMarkedWrong() {
    String s = printed(new SamplePreview("r", 40, List.of("3 4 → 13"),
        List.of("the answer is 12"), null, SamplePreview.Kind.ANSWERS));
    assertTrue(s.contains("  answer @40: [wrong] 3 4 → 13"), s);
  }

  @Test
  void textsWrittenBackAreExactOrChanged() {
    String s = printed(new SamplePreview("r", 1000, List.of("Tom ran.", "Ann sat."),
        Arrays.asList(null, "the text was Ann ran."), null, SamplePreview.Kind.RECONSTRUCTIONS));
    assertTrue(s.contains("  written back @1000: [exact] Tom ran."), s);
    assertTrue(s.contains("  written back @1000: [changed] Ann sat."), s);
    assertFalse(s.contains("answer"), s);
  }

  @Test
  void storiesCarryTheValidatorsVerdictAndTheValidShare() {
    String s = printed(new SamplePreview("r", 7, List.of("a story", "not a story"),
        Arrays.asList(null, "no ending"), null));
    assertTrue(s.contains("  samples @7: valid_fraction 0.500 (1 of 2)"), s);
    assertTrue(s.contains("  sample @7: [valid] a story"), s);
    assertTrue(s.contains("  sample @7: [invalid] not a story"), s);
  }
}
