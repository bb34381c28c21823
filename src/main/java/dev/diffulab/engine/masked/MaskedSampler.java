package dev.diffulab.engine.masked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.sampling.MaskedSampling;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.engine.EngineContext;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@link MaskedSampling} for several samples at once: one forward pass per step over the
 * batch of canvases (shorter canvases padded, padding hidden from attention), probabilities at
 * temperature τ pulled to the host once per step — the trace needs them anyway.
 */
public final class MaskedSampler {
  private MaskedSampler() {
  }

  /**
   * @param lengths canvas length of each sample (prompt included)
   * @param prompt prefix token ids, the same for every sample
   * @param progress called after each step with (step, steps); may be null
   */
  public static List<DenoiseTrace> sample(DenoiserModel model, TextTokenizer tokenizer,
      SamplerConfig settings, int[] lengths, int[] prompt, long seed, EngineContext ctx,
      java.util.function.BiConsumer<Integer, Integer> progress) {
    int n = lengths.length;
    int vocab = model.vocab();
    int maxLen = Arrays.stream(lengths).max().orElseThrow();
    List<MaskedSampling> canvases = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      canvases.add(new MaskedSampling(settings, lengths[b], prompt, tokenizer.maskId(), vocab,
          seed * 1_000_003L + b));
    }
    for (int k = 1; k <= settings.steps(); k++) {
      if (ctx != null) {
        ctx.checkCancelled("Sampling");
      }
      int[][] ids = new int[n][maxLen];
      float[][] keep = new float[n][maxLen];
      for (int b = 0; b < n; b++) {
        int[] t = canvases.get(b).tokens();
        Arrays.fill(ids[b], tokenizer.padId());
        System.arraycopy(t, 0, ids[b], 0, t.length);
        Arrays.fill(keep[b], 0, t.length, 1f);
      }
      float[] probs;
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray logits = model.logits(m, ids, keep, false); // (B, L, V)
        probs = logits.div((float) settings.temperature()).softmax(-1).toFloatArray(); // B·L·V
      }
      for (int b = 0; b < n; b++) {
        canvases.get(b).advance(probs, b * maxLen * vocab);
      }
      if (progress != null) {
        progress.accept(k, settings.steps());
      }
    }
    List<String> vocabStrings = new ArrayList<>(vocab);
    for (int v = 0; v < vocab; v++) {
      vocabStrings.add(tokenizer.token(v));
    }
    String label = describe(settings);
    List<DenoiseTrace> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      MaskedSampling c = canvases.get(b);
      out.add(new DenoiseTrace("masked", label, seed, vocabStrings,
          Math.min(prompt.length, lengths[b]), c.trace(), tokenizer.decode(c.tokens())));
    }
    return out;
  }

  public static String describe(SamplerConfig s) {
    String choice = switch (s.tokenChoice()) {
      case GREEDY -> "greedy";
      case TOP_K -> "top-" + s.topK();
      case NUCLEUS -> "top-p " + s.topP();
    };
    return s.steps() + " steps, " + s.schedule().id() + ", " + s.remasking().id() + ", " + choice
        + ", T=" + s.temperature();
  }
}
