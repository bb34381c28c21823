package dev.diffulab.engine.ar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import dev.diffulab.engine.model.TokenDraws;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Writes with the autoregressive baseline: one token a step, left to right, after each canvas's
 * own prompt — greedy, or drawn at the sampler's temperature (with its top-k or nucleus). Canvases
 * of a batch run together, each row read at its own last position (a causal decoder's earlier
 * positions never see the padding after them); a canvas that wrote the end token
 * ({@code endToken}) is filled with it. The trace has a step per token written, the positions
 * not yet written shown as masked, so the Denoise workspace can scrub it like a diffusion run.
 */
public final class ArSampler {
  private ArSampler() {
  }

  /**
   * @param length every canvas's length, prompt included
   * @param endToken the token that ends a response (−1: write to the end)
   */
  public static List<DenoiseTrace> sample(DenoiserModel<Denoiser> model, TextTokenizer tok,
      SamplerConfig settings, int length, int[][] prompts, int endToken, long seed,
      EngineContext ctx, java.util.function.BiConsumer<Integer, Integer> progress) {
    int n = prompts.length;
    int[][] canvas = new int[n][length];
    int[] written = new int[n];
    boolean[] ended = new boolean[n];
    Random[] random = new Random[n];
    List<List<TraceStep>> traces = new ArrayList<>();
    float[][] confidence = new float[n][length];
    float[][] entropy = new float[n][length];
    int[][][] topIds = new int[n][length][0];
    float[][][] topProbs = new float[n][length][0];
    int start = Integer.MAX_VALUE;
    for (int b = 0; b < n; b++) {
      Arrays.fill(canvas[b], tok.maskId());
      written[b] = Math.min(prompts[b].length, length);
      System.arraycopy(prompts[b], 0, canvas[b], 0, written[b]);
      Arrays.fill(confidence[b], 0, written[b], 1f);
      random[b] = new Random(seed * 1_000_003L + b);
      traces.add(new ArrayList<>());
      traces.get(b).add(step(0, canvas[b], written[b], written[b], confidence[b], entropy[b],
          topIds[b], topProbs[b]));
      start = Math.min(start, written[b]);
      ended[b] = written[b] >= length || written[b] == 0;
    }
    TokenDraws.Rule rule = TokenDraws.Rule.of(settings);
    int steps = length - start;
    for (int k = 1; k <= steps; k++) {
      if (ctx != null) {
        ctx.checkCancelled("Sampling");
      }
      List<Integer> live = new ArrayList<>();
      for (int b = 0; b < n; b++) {
        if (!ended[b]) {
          live.add(b);
        }
      }
      if (live.isEmpty()) {
        break;
      }
      int longest = 0;
      for (int b : live) {
        longest = Math.max(longest, written[b]);
      }
      int[][] ids = new int[live.size()][longest];
      float[][] keep = new float[live.size()][longest];
      int[] rows = new int[live.size()];
      double[] u = new double[live.size()];
      for (int i = 0; i < live.size(); i++) {
        int b = live.get(i);
        Arrays.fill(ids[i], tok.padId());
        System.arraycopy(canvas[b], 0, ids[i], 0, written[b]);
        Arrays.fill(keep[i], 0, written[b], 1f);
        rows[i] = i * longest + written[b] - 1; // the last written position predicts the next
        u[i] = random[b].nextDouble();
      }
      TokenDraws.Summary s;
      try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
        scope.suppressNotUsedWarning();
        NDArray h = model.block().hidden(model.store(), m, ids, keep, false); // (B, L, D)
        NDArray logits = model.head().project(model.store(), TokenCrossEntropy.pick(h, rows),
            false); // (R, V)
        int[] all = new int[rows.length];
        for (int i = 0; i < all.length; i++) {
          all[i] = i;
        }
        s = TokenDraws.summarise(logits, rule, all, u);
      }
      for (int i = 0; i < live.size(); i++) {
        int b = live.get(i);
        int at = written[b];
        int token = s.chosen()[i];
        canvas[b][at] = token;
        confidence[b][at] = s.chosenProb()[i];
        entropy[b][at] = s.entropy()[i];
        topIds[b][at] = s.topIds()[i];
        topProbs[b][at] = s.topProbs()[i];
        written[b]++;
        if (token == endToken && endToken >= 0) {
          // the response ended: the rest of the canvas is end tokens, as in training
          for (int j = written[b]; j < length; j++) {
            canvas[b][j] = endToken;
          }
          written[b] = length;
        }
        ended[b] = written[b] >= length;
        traces.get(b).add(step(traces.get(b).size(), canvas[b], written[b],
            Math.min(prompts[b].length, length), confidence[b], entropy[b], topIds[b],
            topProbs[b]));
      }
      if (progress != null) {
        progress.accept(k, steps);
      }
    }
    List<String> vocab = new ArrayList<>(tok.vocabSize());
    for (int v = 0; v < tok.vocabSize(); v++) {
      vocab.add(tok.token(v));
    }
    String label = describe(settings);
    List<DenoiseTrace> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      out.add(new DenoiseTrace(dev.diffulab.core.config.Method.AUTOREGRESSIVE.id(), label, seed,
          vocab, Math.min(prompts[b].length, length), traces.get(b),
          tok.decode(canvas[b])));
    }
    return out;
  }

  private static TraceStep step(int k, int[] canvas, int written, int prompt, float[] confidence,
      float[] entropy, int[][] topIds, float[][] topProbs) {
    int length = canvas.length;
    TokenState[] states = new TokenState[length];
    for (int i = 0; i < length; i++) {
      states[i] = i < prompt
          ? TokenState.GIVEN
          : i < written
              ? (i == written - 1 ? TokenState.REVEALED : TokenState.KEPT)
              : TokenState.MASKED;
    }
    int left = length - Math.max(written, prompt);
    return new TraceStep(k, (double) left / Math.max(1, length - prompt), canvas.clone(), states,
        confidence.clone(), entropy.clone(), topIds.clone(), topProbs.clone());
  }

  public static String describe(SamplerConfig s) {
    String choice = switch (s.tokenChoice()) {
      case GREEDY -> "greedy";
      case TOP_K -> "top-" + s.topK();
      case NUCLEUS -> "top-p " + s.topP();
      case MIN_P -> "min-p " + s.minP();
    };
    return "left to right, " + choice + ", T=" + s.temperature();
  }
}
