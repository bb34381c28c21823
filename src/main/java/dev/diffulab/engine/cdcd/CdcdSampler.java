package dev.diffulab.engine.cdcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.sampling.TokenChooser;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.engine.EngineContext;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * CDCD sampling: start from noise of scale σ_max and take Euler (or Heun) steps of the probability
 * flow ODE down the warped grid σ_0 = σ_max … σ_K = σ_min. At each step x̂₀ = softmax(logits/τ)·Ê
 * and the direction is (x − x̂₀)/σ. Prompt positions stay clean. The result is the argmax token at
 * every position; every step is recorded — σ, argmax, entropy, which positions changed, top five.
 */
public final class CdcdSampler {
  private CdcdSampler() {
  }

  public static List<DenoiseTrace> sample(DenoiserModel model, TextTokenizer tok,
      SamplerConfig s, double[] grid, int[] lengths, int[] prompt, long seed, EngineContext ctx) {
    return sample(model, tok, s, grid, lengths, prompt, seed, ctx, null);
  }

  /** As above, reporting (step, steps) after every step when {@code progress} is not null. */
  public static List<DenoiseTrace> sample(DenoiserModel model, TextTokenizer tok,
      SamplerConfig s, double[] grid, int[] lengths, int[] prompt, long seed, EngineContext ctx,
      java.util.function.BiConsumer<Integer, Integer> progress) {
    CdcdDenoiser block = (CdcdDenoiser) model.block();
    int n = lengths.length;
    int d = model.config().dModel();
    int vocab = model.vocab();
    int len = Arrays.stream(lengths).max().orElseThrow();
    float[][] keep = new float[n][len];
    float[][] given = new float[n][len];
    int[][] promptIds = new int[n][len];
    for (int b = 0; b < n; b++) {
      Arrays.fill(keep[b], 0, lengths[b], 1f);
      for (int i = 0; i < Math.min(prompt.length, lengths[b]); i++) {
        given[b][i] = 1f;
        promptIds[b][i] = prompt[i];
      }
    }
    float[] emb;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      emb = block.normalisedEmbedding(model.store(), model.device(), false).toFloatArray();
    }
    // x_0 = σ_max · ε, prompt positions clean (seeded on the host: the same seed, the same run)
    Random r = new Random(seed);
    float[] x = new float[n * len * d];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < len; i++) {
        for (int k = 0; k < d; k++) {
          int at = (b * len + i) * d + k;
          x[at] = given[b][i] > 0
              ? emb[promptIds[b][i] * d + k]
              : (float) (grid[0] * r.nextGaussian());
        }
      }
    }
    List<List<TraceStep>> traces = new ArrayList<>();
    int[][] previous = nearest(x, emb, n, len, d, vocab);
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < len; i++) {
        if (given[b][i] > 0) {
          previous[b][i] = promptIds[b][i];
        }
      }
    }
    for (int b = 0; b < n; b++) {
      List<TraceStep> t = new ArrayList<>();
      TokenState[] states = new TokenState[lengths[b]];
      for (int i = 0; i < lengths[b]; i++) {
        states[i] = given[b][i] > 0 ? TokenState.GIVEN : TokenState.MASKED;
      }
      t.add(new TraceStep(0, grid[0], Arrays.copyOf(previous[b], lengths[b]), states,
          new float[lengths[b]], new float[lengths[b]], new int[lengths[b]][0],
          new float[lengths[b]][0]));
      traces.add(t);
    }
    // with self-conditioning each step sees the previous step's estimate x̂₀ (zeros at first)
    float[][] previous0 = {((CdcdDenoiser) model.block()).selfConditioning()
        ? new float[n * len * d]
        : null};
    for (int k = 0; k < grid.length - 1; k++) {
      if (ctx != null) {
        ctx.checkCancelled("Sampling");
      }
      double sigma = grid[k];
      double next = grid[k + 1];
      float[][] p = new float[1][];
      float[] dx = direction(model, x, sigma, given, keep, emb, n, len, d, s.temperature(), p,
          previous0);
      float[] xEuler = step(x, dx, (float) (next - sigma));
      if (s.solver() == SamplerConfig.Solver.HEUN && next > 0) {
        float[] dx2 = direction(model, xEuler, next, given, keep, emb, n, len, d,
            s.temperature(), new float[1][], previous0);
        for (int i = 0; i < dx.length; i++) {
          dx[i] = 0.5f * (dx[i] + dx2[i]);
        }
        xEuler = step(x, dx, (float) (next - sigma));
      }
      x = xEuler;
      for (int b = 0; b < n; b++) {
        traces.get(b).add(record(k + 1, sigma, p[0], b, lengths[b], len, vocab, given[b],
            previous[b]));
      }
      if (progress != null) {
        progress.accept(k + 1, grid.length - 1);
      }
    }
    List<String> vocabStrings = new ArrayList<>(vocab);
    for (int v = 0; v < vocab; v++) {
      vocabStrings.add(tok.token(v));
    }
    String label = s.steps() + " " + s.solver().id() + " steps, T=" + s.temperature();
    List<DenoiseTrace> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      int[] finalTokens = traces.get(b).getLast().tokens();
      out.add(new DenoiseTrace("cdcd", label, seed, vocabStrings, Math.min(prompt.length,
          lengths[b]), traces.get(b), tok.decode(finalTokens)));
    }
    return out;
  }

  /** (x − x̂₀)/σ at every position (zero at given positions); p gets softmax(logits/τ). */
  private static float[] direction(DenoiserModel model, float[] x, double sigma, float[][] given,
      float[][] keep, float[] emb, int n, int len, int d, double temperature, float[][] p,
      float[][] previous0) {
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray xs = m.create(x).reshape(n, len, d); // (B, T, D)
      float[] sig = new float[n];
      Arrays.fill(sig, (float) sigma);
      NDArray sigArray = m.create(sig).reshape(n, 1, 1); // (B, 1, 1)
      NDArray givenArray = m.create(given).reshape(n, len, 1); // (B, T, 1)
      NDList inputs = new NDList(xs, sigArray, givenArray, m.create(keep));
      if (previous0[0] != null) {
        inputs.add(m.create(previous0[0]).reshape(n, len, d)); // (B, T, D)
      }
      NDArray logits = model.block().forward(model.store(), inputs, false).head(); // (B, T, V)
      NDArray probs = logits.div((float) temperature).softmax(-1); // (B, T, V)
      NDArray x0 = probs.matMul(m.create(emb).reshape(model.vocab(), d)); // (B, T, D)
      NDArray dir = xs.sub(x0).div((float) sigma).mul(givenArray.neg().add(1f)); // (B, T, D)
      p[0] = probs.toFloatArray();
      if (previous0[0] != null) {
        previous0[0] = x0.toFloatArray();
      }
      return dir.toFloatArray();
    }
  }

  /** x + h·dir (the direction is already zero at prompt positions). */
  private static float[] step(float[] x, float[] dir, float h) {
    float[] out = x.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += h * dir[i];
    }
    return out;
  }

  private static TraceStep record(int step, double sigma, float[] p, int b, int length, int len,
      int vocab, float[] given, int[] previous) {
    int[] tokens = new int[length];
    TokenState[] states = new TokenState[length];
    float[] conf = new float[length];
    float[] entropy = new float[length];
    int[][] topIds = new int[length][];
    float[][] topProbs = new float[length][];
    for (int i = 0; i < length; i++) {
      int at = (b * len + i) * vocab;
      topIds[i] = TokenChooser.top(p, at, vocab, 5);
      topProbs[i] = new float[topIds[i].length];
      for (int k = 0; k < topIds[i].length; k++) {
        topProbs[i][k] = p[at + topIds[i][k]];
      }
      tokens[i] = topIds[i][0];
      conf[i] = topProbs[i][0];
      double h = 0;
      for (int v = 0; v < vocab; v++) {
        if (p[at + v] > 0) {
          h -= p[at + v] * Math.log(p[at + v]);
        }
      }
      entropy[i] = (float) h;
      states[i] = given[i] > 0
          ? TokenState.GIVEN
          : tokens[i] != previous[i] ? TokenState.CHANGED : TokenState.KEPT;
      if (given[i] > 0) {
        tokens[i] = previous[i];
      }
      previous[i] = tokens[i];
    }
    return new TraceStep(step, sigma, tokens, states, conf, entropy, topIds, topProbs);
  }

  /** The nearest token (largest dot product with Ê) to every position of x. */
  private static int[][] nearest(float[] x, float[] emb, int n, int len, int d, int vocab) {
    int[][] out = new int[n][len];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < len; i++) {
        double best = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          double dot = 0;
          for (int k = 0; k < d; k++) {
            dot += x[(b * len + i) * d + k] * emb[v * d + k];
          }
          if (dot > best) {
            best = dot;
            out[b][i] = v;
          }
        }
      }
    }
    return out;
  }
}
