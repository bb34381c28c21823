package dev.diffulab.core.pairs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.ConfigException;
import dev.diffulab.core.config.MaskingConfig;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.TrainBatch;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.core.config.MaskingConfig.Weighting;
import dev.diffulab.engine.masked.MaskedObjective;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A pair's row, its prompt kept from the noise, the task names and the graders. */
class PairTokensTest {
  private static final int SEP = 3;
  private static final int PAD = 0;
  private static final int MASK = 4;

  @Test
  void aRowIsPromptSeparatorResponseAndEndTokens() {
    int[] row = PairTokens.row(new int[]{10, 11}, new int[]{20, 21, 22}, SEP, 9);
    assertArrayEquals(new int[]{10, 11, SEP, 20, 21, 22, SEP, SEP, SEP}, row);
    assertEquals(3, PairTokens.promptLength(row, SEP));
    assertArrayEquals(new int[]{20, 21, 22}, PairTokens.response(row, 3, SEP));
    assertArrayEquals(new int[]{10, 11, SEP, 20, SEP},
        PairTokens.row(new int[]{10, 11}, new int[]{20}, SEP, 0), "0: one end token");
    assertThrows(IllegalArgumentException.class,
        () -> PairTokens.row(new int[]{10, 11}, new int[]{20, 21, 22}, SEP, 6));
    assertArrayEquals(new int[]{10, 11, SEP}, PairTokens.prompt(new int[]{10, 11}, SEP));
    boolean[] special = {true, true, true, true, true, false};
    boolean[] forbidden = PairTokens.forbidden(special, SEP);
    assertFalse(forbidden[SEP], "a pair model writes the end of its response");
    assertTrue(forbidden[MASK] && forbidden[PAD]);
    assertTrue(special[SEP], "the tokenizer's own mask is left alone");
  }

  @Test
  void thePromptIsNeverMaskedAndEveryResponseTokenCanBe() {
    MaskingConfig mc = RunConfig.parse("{}", "test").masking();
    boolean[] special = PairTokens.forbidden(new boolean[]{true, true, true, true, true}, SEP);
    MaskingPolicy policy = new MaskingPolicy(mc, PAD, MASK, special, SEP);
    int[][] rows = {
        PairTokens.row(new int[]{10, 11, 12}, new int[]{20, 21}, SEP, 10),
        PairTokens.row(new int[]{13}, new int[]{22, 23, 24, 25}, SEP, 10)};
    Random r = new Random(5);
    for (int trial = 0; trial < 50; trial++) {
      // ratio 1: everything that may be masked is
      MaskedBatch b = policy.corrupt(TrainBatch.unpacked(rows, PAD), new float[]{1f, 1f}, r);
      for (int i = 0; i < rows.length; i++) {
        int prompt = PairTokens.promptLength(rows[i], SEP);
        for (int j = 0; j < rows[i].length; j++) {
          if (j < prompt) {
            assertEquals(rows[i][j], b.noisy()[i][j], "prompt token " + j + " of row " + i);
            assertEquals(0f, b.masked()[i][j]);
          } else {
            assertEquals(MASK, b.noisy()[i][j], "response and end tokens are all targets");
          }
        }
      }
    }
    // the prompts are given: MDLM's bound is per token of what is not (the responses)
    MaskedBatch b = policy.corrupt(TrainBatch.unpacked(rows, PAD), new float[]{0.5f, 0.5f}, r);
    int[] prompts = {PairTokens.promptLength(rows[0], SEP), PairTokens.promptLength(rows[1],
        SEP)};
    assertArrayEquals(prompts, b.given());
    assertEquals(b.realTokens() - prompts[0] - prompts[1], b.scorableTokens());
    assertEquals(b.scorableTokens(), MaskedObjective.normalizer(b, Weighting.ELBO), 0f);
    // a group of the step keeps its documents' given counts
    assertArrayEquals(new int[]{prompts[1]}, b.rows(new int[]{1}).given());
    // the same rows as plain text: the first tokens are masked like any others
    MaskedBatch plain = new MaskingPolicy(mc, PAD, MASK).corrupt(rows, new float[]{1f, 1f}, r);
    assertEquals(MASK, plain.noisy()[0][0]);
    assertArrayEquals(new int[]{0, 0}, plain.given());
    assertEquals(plain.realTokens(), plain.scorableTokens());
  }

  @Test
  void taskNamesAreReadOrRefusedWithTheRightSpelling() {
    assertEquals(new Tasks.Spec(4, 3, true), Tasks.spec("multiplication-4x3"));
    assertEquals(new Tasks.Spec(2, 2, false), Tasks.spec("multiplication-2x2-nochain"));
    assertNull(Tasks.problem("multiplication-9x9"));
    assertTrue(Tasks.problem("multiplication-4by4").contains("multiplication-NxM"));
    assertTrue(Tasks.problem("multiplication-0x4").contains("1 to 9 digits"));
    assertFalse(Tasks.isTask("tinytales"));
    ConfigException e = assertThrows(ConfigException.class, () -> RunConfig.parse(
        "{\"data\": {\"corpus\": \"multiplication-four\"}}", "c.json"));
    assertTrue(e.getMessage().contains("data.corpus"), e.getMessage());
    ConfigException packed = assertThrows(ConfigException.class, () -> RunConfig.parse(
        "{\"data\": {\"corpus\": \"multiplication-2x2\", \"packing\": true}}", "c.json"));
    assertTrue(packed.getMessage().contains("data.packing"), packed.getMessage());
    RunConfig c = RunConfig.parse("{\"data\": {\"corpus\": \"multiplication-2x2\","
        + " \"tokenizer\": \"digits\", \"task_examples\": 300}}", "c.json");
    assertTrue(c.data().isPairs());
    assertEquals(300, RunConfig.parse(c.toJson(), "again").data().taskExamples(),
        "written and read back");
  }

  @Test
  void gradersReadAnswersAsDecodersWriteThem() {
    Pair p = Multiplication.pair(12, 34, 2, 2, true);
    Tasks.Grader g = Tasks.grader("multiplication-2x2");
    assertTrue(g.gradesChain());
    // a BERT-style decoder writes the marker as four signs
    String spaced = p.response().replace("####", "# # # #");
    Multiplication.Grade right = g.grade(p.prompt(), p.response(), spaced);
    assertTrue(right.exact());
    assertEquals(1.0, right.partialShare());
    Multiplication.Grade wrong = g.grade(p.prompt(), p.response(),
        spaced.replaceAll("8 0 4 0$", "8 0 4 1"));
    assertFalse(wrong.exact());
    Tasks.Grader any = Tasks.grader("my-pairs.jsonl");
    assertTrue(any.gradesChain(), "a corpus's own pairs are graded by ROUGE-L as their parts");
    assertEquals("rouge_l", any.partsName());
    assertEquals(1.0, any.grade("q", "a great little phone", "A great little phone")
        .partialShare(), 1e-9);
    assertTrue(any.grade("q", "so 3 + 4 = 7 #### 7", "7 is it?  # # # #   7").exact());
    assertFalse(any.grade("q", "#### 7", "#### 8").exact());
    assertFalse(any.grade("q", "#### 7", "").exact());
  }

  @Test
  void eachPackedDocumentHasItsOwnPromptAndPaddingHasNone() {
    // two documents in a row, then padding (0): prompts up to each first separator
    int[][] tokens = {{10, SEP, 20, SEP, 11, 12, SEP, 21, 0, 0}, {SEP, 22, SEP, 0, 0, 0, 0, 0, 0,
        0}};
    int[][] segment = {{1, 1, 1, 1, 2, 2, 2, 2, 0, 0}, {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}};
    boolean[][] p = PairTokens.prompts(tokens, segment, SEP);
    assertArrayEquals(new boolean[]{true, true, false, false, true, true, true, false, false,
        false}, p[0], "a later separator is the response's end, not a prompt's");
    assertArrayEquals(new boolean[]{true, false, false, false, false, false, false, false, false,
        false}, p[1], "an empty prompt: the separator alone");
    boolean[][] plain = PairTokens.prompts(tokens, segment, -1);
    for (boolean[] row : plain) {
      for (boolean b : row) {
        assertFalse(b, "plain text has no prompt");
      }
    }
  }
}
