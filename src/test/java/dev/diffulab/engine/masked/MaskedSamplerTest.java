package dev.diffulab.engine.masked;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Low-confidence unmasking by the top probability chooses what it reveals before drawing, and
 * draws only there: the whole run — every step's tokens, states, confidences, entropies and top
 * fives — is the one drawing at every blank gives.
 */
class MaskedSamplerTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "\"remasking\": \"low-confidence\", \"sampling\": \"nucleus\", \"top_p\": 0.9",
      "\"remasking\": \"low-confidence\", \"sampling\": \"top-k\", \"top_k\": 7,"
          + " \"remasking_temperature\": 1.0, \"blocks\": 2",
      "\"remasking\": \"remdm\", \"remdm_decode\": \"low-confidence\", \"sampling\": \"nucleus\","
          + " \"top_p\": 0.95"})
  void drawingOnlyWhereTokensAreKeptGivesTheSameRun(String sampler) {
    RunConfig c = RunConfig.parse("{\"name\": \"t\", \"seed\": 3, \"model\": {\"d_model\": 32,"
        + " \"layers\": 1, \"heads\": 2, \"ffn\": 64, \"seq_len\": 32}, \"sampler\": {\"steps\":"
        + " 12, \"temperature\": 1.3, " + sampler + "}}", "test");
    try (TextTokenizer t = TextTokenizer.tinyTales();
        NDManager root = NDManager.newBaseManager();
        DenoiserModel<Denoiser> model = DenoiserModel.masked(c.model(), t.vocabSize(),
            t.specialMask(), root, 4)) {
      int[] lengths = {20, 26, 32};
      int[] prompt = t.encode("Once upon a time");
      List<DenoiseTrace> cheap = MaskedSampler.sample(model, t, c.sampler(), lengths, prompt, 9,
          null, null, true);
      List<DenoiseTrace> full = MaskedSampler.sample(model, t, c.sampler(), lengths, prompt, 9,
          null, null, false);
      for (int b = 0; b < lengths.length; b++) {
        assertEquals(full.get(b).finalText(), cheap.get(b).finalText());
        assertEquals(full.get(b).steps().size(), cheap.get(b).steps().size());
        for (int k = 0; k < full.get(b).steps().size(); k++) {
          TraceStep x = full.get(b).steps().get(k);
          TraceStep y = cheap.get(b).steps().get(k);
          assertArrayEquals(x.tokens(), y.tokens(), "sample " + b + " step " + k);
          assertArrayEquals(x.states(), y.states());
          assertArrayEquals(x.confidence(), y.confidence());
          assertArrayEquals(x.entropy(), y.entropy());
        }
      }
      TraceStep last = cheap.get(2).steps().getLast();
      assertTrue(java.util.Arrays.stream(last.tokens()).noneMatch(id -> id == t.maskId()),
          "every blank is filled at the end");
    }
  }
}
