package dev.diffulab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.tinytales.TinyTalesCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real text has words a tokenizer does not know. Every tenth word of a TinyTales corpus is made
 * up, so one token in ten is [UNK] — which the model may never predict. Training must still start
 * near ln V (unknown tokens are context, never targets) and say how much of the corpus is
 * unknown; it used to start at a loss in the hundreds.
 */
class UnknownWordsCliTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"masked", "cdcd"})
  void aCorpusWithTenPercentUnknownWordsStartsNearLnVAndIsReported(String method)
      throws Exception {
    List<String> stories = new ArrayList<>();
    int[] n = {0};
    for (String s : TinyTalesCorpus.stories(200, 3)) {
      StringBuilder b = new StringBuilder();
      for (String w : s.split(" ")) {
        b.append(++n[0] % 10 == 0 ? "zorblax" + n[0] : w).append(' ');
      }
      stories.add(b.toString().strip());
    }
    Path corpus = dir.resolve("unknown.txt");
    Files.writeString(corpus, String.join("\n<|endoftext|>\n", stories) + "\n");
    Path config = dir.resolve("c.json");
    Files.writeString(config, """
        {"name": "unk", "method": "%s", "device": "cpu", "seed": 1,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 96},
         "train": {"steps": 3, "batch_size": 8, "eval_every": 0, "sample_every": 0,
                   "log_every": 1}}
        """.formatted(method));
    CliTest.Run r = CliTest.run("train", "--config", config.toString(), "--corpus",
        corpus.toString(), "--out", dir.resolve("ckpt").toString());
    assertEquals(0, r.code(), r.err());
    Matcher m = Pattern.compile("step 1/3\\s+loss ([0-9.]+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    double first = Double.parseDouble(m.group(1));
    double lnV = Math.log(280);
    assertTrue(first < 2 * lnV, "first loss " + first + " against ln V " + lnV);
    Matcher w = Pattern.compile("warning: ([0-9.]+) % of the tokens").matcher(r.out());
    assertTrue(w.find(), r.out());
    double rate = Double.parseDouble(w.group(1));
    assertTrue(rate > 5 && rate < 15, "reported unknown rate " + rate);
  }
}
