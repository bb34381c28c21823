package dev.diffulab.core.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pair corpora as people keep them, the held-out split, the multiplication task and grader. */
class PairsTest {
  @Test
  void theWorkedExampleIsWrittenAsDocumented() {
    Pair p = Multiplication.pair(12, 34, 2, 2, true);
    assertEquals("2 1 * 4 3", p.prompt());
    assertEquals("8 4 0 + 0 6 3 0 #### 8 0 4 0", p.response());
    assertEquals("#### 8 0 4 0", Multiplication.pair(12, 34, 2, 2, false).response());
    // the running sums from the second partial product on, but the last is the answer alone
    assertEquals("8 3 7 0 + 0 5 1 6 0 ( 8 8 8 6 0 ) + 0 0 2 9 4 0 #### 8 8 0 6 5 0",
        Multiplication.pair(123, 456, 3, 3, true).response());
  }

  @Test
  void everyGeneratedAnswerIsRightAndGradesExact() {
    for (int[] shape : new int[][]{{2, 2}, {3, 3}, {4, 4}, {5, 3}}) {
      List<Pair> pairs = Multiplication.generate(shape[0], shape[1], true, 300, 11);
      assertEquals(300, pairs.size());
      for (Pair p : pairs) {
        String[] sides = p.prompt().split("\\*");
        long a = Multiplication.parse(sides[0].strip()).longValueExact();
        long b = Multiplication.parse(sides[1].strip()).longValueExact();
        assertEquals(shape[0], String.valueOf(a).length(), p.prompt());
        assertEquals(shape[1], String.valueOf(b).length(), p.prompt());
        assertEquals(a * b, Multiplication.parse(p.finalAnswer()).longValueExact(), p.toString());
        Multiplication.Grade g = Multiplication.grade(p.prompt(), p.response());
        assertTrue(g.exact(), p.toString());
        assertEquals(shape[1], g.partialsRight(), p.toString());
      }
    }
    // two by two digits: 90 × 90 = 8,100 problems at most
    assertEquals(8100, Multiplication.generate(2, 2, false, 10_000, 3).size());
  }

  @Test
  void theGraderCountsWhatIsWrong() {
    Pair p = Multiplication.pair(1234, 5678, 4, 4, true);
    String oneDigitOff = p.response().substring(0, p.response().length() - 1) + "9";
    Multiplication.Grade wrongAnswer = Multiplication.grade(p.prompt(), oneDigitOff);
    assertFalse(wrongAnswer.exact());
    assertEquals(4, wrongAnswer.partialsRight());
    // a wrong first partial product, the rest right
    String[] tokens = p.response().split(" ");
    tokens[0] = tokens[0].equals("1") ? "2" : "1";
    Multiplication.Grade partial = Multiplication.grade(p.prompt(), String.join(" ", tokens));
    assertTrue(partial.exact());
    assertEquals(3, partial.partialsRight());
    assertEquals(0.75, partial.partialShare(), 1e-12);
    Multiplication.Grade noAnswer = Multiplication.grade(p.prompt(), "7 7 7");
    assertFalse(noAnswer.exact());
  }

  @Test
  void theSplitKeepsAPromptOnOneSide() {
    List<Pair> pairs = new java.util.ArrayList<>(Multiplication.generate(3, 3, true, 2000, 5));
    // the same prompt twice, with other responses: both must land on the same side
    for (int i = 0; i < 200; i++) {
      pairs.add(new Pair(pairs.get(i).prompt(), "#### " + i));
    }
    PairSplit.Split s = PairSplit.split(pairs, 0.2, 9);
    Set<String> train = new HashSet<>();
    s.train().forEach(p -> train.add(p.prompt()));
    s.heldOut().forEach(p -> assertFalse(train.contains(p.prompt()), p.prompt()));
    assertEquals(pairs.size(), s.train().size() + s.heldOut().size());
    double share = (double) s.heldOut().size() / pairs.size();
    assertTrue(share > 0.15 && share < 0.25, "held-out share " + share);
    assertEquals(s, PairSplit.split(pairs, 0.2, 9), "the same seed, the same split");
    assertTrue(!s.heldOut().equals(PairSplit.split(pairs, 0.2, 10).heldOut()),
        "another seed, another split");
  }

  @Test
  void jsonLinesTsvAndGsm8kAreReadAsTheyAre(@TempDir Path dir) throws Exception {
    Path jsonl = dir.resolve("pairs.jsonl");
    Files.writeString(jsonl,
        """
            {"prompt": "2 + 2", "response": "4"}

            {"src": "a long review", "trg": "a title"}
            {"question": "Tom has 3 apples and buys 1,197 more. How many?", "answer": "3 + 1197 = 1200\\n#### 1,200"}
            """);
    List<Pair> pairs = PairCorpus.read(jsonl);
    assertEquals(3, pairs.size());
    assertEquals("a title", pairs.get(1).response());
    assertEquals("1200", pairs.get(2).finalAnswer());
    assertTrue(pairs.get(2).response().startsWith("3 + 1197 = 1200"), "the rationale is kept");

    Path tsv = dir.resolve("pairs.tsv");
    Files.writeString(tsv, "prompt\tresponse\nhello\tworld\n\nup\tdown\n");
    assertEquals(List.of(new Pair("hello", "world"), new Pair("up", "down")),
        PairCorpus.read(tsv));

    Files.writeString(tsv, "hello\tworld\nno tab here\n");
    InputException e = assertThrows(InputException.class, () -> PairCorpus.read(tsv));
    assertTrue(e.getMessage().contains("pairs.tsv, line 2"), e.getMessage());
    Files.writeString(jsonl, "{\"prompt\": \"x\", \"response\": \"y\"}\n{\"text\": \"z\"}\n");
    e = assertThrows(InputException.class, () -> PairCorpus.read(jsonl));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("text"),
        e.getMessage());
    Files.writeString(jsonl, "{\"prompt\": \"x\", \"response\": \"\"}\n");
    e = assertThrows(InputException.class, () -> PairCorpus.read(jsonl));
    assertTrue(e.getMessage().contains("\"response\" is missing or empty"), e.getMessage());
    Files.writeString(jsonl, "[1, 2]\n");
    e = assertThrows(InputException.class, () -> PairCorpus.read(jsonl));
    assertTrue(e.getMessage().contains("line 1: not a JSON object"), e.getMessage());
  }
}
