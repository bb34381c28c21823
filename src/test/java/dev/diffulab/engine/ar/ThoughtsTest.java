package dev.diffulab.engine.ar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.diffulab.core.pairs.Multiplication;
import dev.diffulab.core.pairs.PairTokens;
import dev.diffulab.core.pairs.Tasks;
import dev.diffulab.engine.method.DiffusionOfThought;
import dev.diffulab.engine.text.TextTokenizer;
import org.junit.jupiter.api.Test;

/** Where one thought of a multiplication chain ends, as the multi-pass answer cuts it. */
class ThoughtsTest {
  @Test
  void aThoughtIsOnePartialProductAndTheAnswerRunsToTheEnd() {
    try (TextTokenizer tok = TextTokenizer.digits()) {
      var pair = Multiplication.pair(12, 34, 2, 2, true);
      // "2 1 * 4 3" → "8 4 0 + 0 6 3 0 #### 8 0 4 0"
      int sep = tok.sepId();
      int[] prompt = tok.encode(pair.prompt());
      int[] row = PairTokens.row(prompt, tok.encode(pair.response()), sep, 40);
      var ends = Tasks.thoughtEnds("multiplication-2x2");
      int start = prompt.length + 1;
      int first = DiffusionOfThought.thoughtEnd(row, start, sep, ends, tok);
      assertEquals("8 4 0 +", tok.decode(java.util.Arrays.copyOfRange(row, start, first)));
      int second = DiffusionOfThought.thoughtEnd(row, first, sep, ends, tok);
      assertEquals("0 6 3 0 # # # # 8 0 4 0",
          tok.decode(java.util.Arrays.copyOfRange(row, first, second - 1)),
          "the last partial product runs on into the final answer, to the end token");
      assertEquals(sep, row[second - 1]);
    }
  }
}
