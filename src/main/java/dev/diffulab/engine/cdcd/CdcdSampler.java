package dev.diffulab.engine.cdcd;

import ai.djl.ndarray.NDArray;
import dev.diffulab.engine.model.Scalars;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import dev.diffulab.engine.model.TokenDraws;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * CDCD sampling: start from noise of scale σ_max and take Euler (or Heun) steps of the probability
 * flow ODE down the warped grid σ_0 = σ_max … σ_K = σ_min — or ancestral steps, which draw x at
 * the next σ from its Gaussian posterior given x̂₀ (fresh noise at every step, seeded like the
 * start). At each step x̂₀ = softmax(logits/τ)·Ê and the direction is (x − x̂₀)/σ. Prompt
 * positions stay clean. With {@code low-confidence} (or {@code random}) remasking the sampler
 * also commits positions on the way down, as many after each step as the mask schedule has
 * revealed by then: the surest (or random) ones become their argmax token's clean embedding and
 * are given from then on — the continuous counterpart of the masked sampler's confidence order,
 * for models trained with random given positions ({@code cdcd.given_fraction}); {@code ancestral}
 * commits nothing before the end. The result is the argmax token at every position; every step
 * is recorded — σ, argmax, entropy, which positions changed, top five.
 * The state x and the self-conditioning estimate stay on the device for the whole run; only the
 * trace's reductions come back each step.
 */
public final class CdcdSampler {
  private CdcdSampler() {
  }

  public static List<DenoiseTrace> sample(DenoiserModel<CdcdDenoiser> model, TextTokenizer tok,
      SamplerConfig s, double[] grid, int[] lengths, int[] prompt, long seed, EngineContext ctx) {
    return sample(model, tok, s, grid, lengths, prompt, seed, ctx, null);
  }

  /** As above, reporting (step, steps) after every step when {@code progress} is not null. */
  public static List<DenoiseTrace> sample(DenoiserModel<CdcdDenoiser> model, TextTokenizer tok,
      SamplerConfig s, double[] grid, int[] lengths, int[] prompt, long seed, EngineContext ctx,
      java.util.function.BiConsumer<Integer, Integer> progress) {
    CdcdDenoiser block = model.block();
    int n = lengths.length;
    int d = block.embeddingDim();
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
    List<List<TraceStep>> traces = new ArrayList<>();
    try (NDScope runScope = new NDScope(); NDManager run = model.manager().newSubManager()) {
      runScope.suppressNotUsedWarning();
      NDArray emb = block.normalisedEmbedding(model.store(), model.device(), false); // (V, D)
      NDArray givenArray = run.create(given).reshape(n, len, 1); // (B, T, 1)
      NDArray keepArray = run.create(keep); // (B, T)
      // x_0 = σ_max · ε, prompt positions clean (the noise seeded on the host: the same seed,
      // the same run on any device); x stays on the device and is updated in place
      Random r = new Random(seed);
      float[] noise = new float[n * len * d];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) r.nextGaussian();
      }
      NDArray promptEmb = emb.get(new NDIndex("{}", run.create(promptIds).reshape(-1)
          .toType(DataType.INT64, false))).reshape(n, len, d); // (B, T, D)
      NDArray x = promptEmb.mul(givenArray) // (B, T, D)
          .add(Scalars.mul(run.create(noise).reshape(n, len, d), (float) grid[0])
              .mul(Scalars.add(givenArray.neg(), 1f))); // (B, T, D)
      NDScope.unregister(x);
      x.attach(run);
      int[][] previous = nearest(x, emb, n, len, d);
      for (int b = 0; b < n; b++) {
        List<TraceStep> t = new ArrayList<>();
        TokenState[] states = new TokenState[lengths[b]];
        for (int i = 0; i < lengths[b]; i++) {
          if (given[b][i] > 0) {
            previous[b][i] = promptIds[b][i];
          }
          states[i] = given[b][i] > 0 ? TokenState.GIVEN : TokenState.MASKED;
        }
        t.add(new TraceStep(0, grid[0], Arrays.copyOf(previous[b], lengths[b]), states,
            new float[lengths[b]], new float[lengths[b]], new int[lengths[b]][0],
            new float[lengths[b]][0]));
        traces.add(t);
      }
      // ancestral steps draw their fresh noise from a stream split off the seed's: a ziggurat
      // draw (SplittableRandom's nextGaussian) — java.util.Random's polar method took longer
      // than the model itself, a million draws a step at the demo's size
      SplittableRandom stepNoise = s.solver() == SamplerConfig.Solver.ANCESTRAL
          ? new SplittableRandom(r.nextLong())
          : null;
      // positions committed on the way down: after step k, as many of each sample's free
      // positions as the schedule has revealed by then
      Commits commits = Commits.of(s, given, lengths, grid.length - 1,
          s.remasking() == SamplerConfig.Remasking.RANDOM ? new Random(r.nextLong()) : null);
      // with self-conditioning each step sees the previous step's estimate x̂₀ (zeros at first)
      NDArray previous0 = block.selfConditioning() ? run.zeros(new Shape(n, len, d)) : null;
      int[] rows = realRows(lengths, len);
      for (int k = 0; k < grid.length - 1; k++) {
        if (ctx != null) {
          ctx.checkCancelled("Sampling");
        }
        double sigma = grid[k];
        double next = grid[k + 1];
        TokenDraws.Summary summary;
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray[] logits = new NDArray[1];
          NDArray dx = direction(model, x, sigma, givenArray, keepArray, emb,
              s.temperature(), logits, previous0); // (B, T, D)
          float h = (float) (next - sigma);
          NDArray move; // (B, T, D)
          if (s.solver() == SamplerConfig.Solver.ANCESTRAL) {
            // x' = x̂₀ + r²(x − x̂₀) + σ'√(1 − r²)·ε with r = σ'/σ, and x − x̂₀ = σ·dx
            double ratio = next / sigma;
            for (int i = 0; i < noise.length; i++) {
              noise[i] = (float) stepNoise.nextGaussian();
            }
            move = Scalars.mul(dx, (float) (-(1 - ratio * ratio) * sigma)) // (B, T, D)
                .add(Scalars.mul(run.create(noise).reshape(n, len, d), // (B, T, D)
                    (float) (next * Math.sqrt(Math.max(0, 1 - ratio * ratio))))
                    .mul(Scalars.add(givenArray.neg(), 1f))); // (B, T, D)
          } else if (s.solver() == SamplerConfig.Solver.HEUN && next > 0) {
            NDArray xEuler = x.add(Scalars.mul(dx, h)); // (B, T, D)
            NDArray dx2 = direction(model, xEuler, next, givenArray, keepArray, emb,
                s.temperature(), new NDArray[1], previous0); // (B, T, D)
            move = Scalars.mul(dx.add(dx2), 0.5f * h); // (B, T, D)
          } else {
            move = Scalars.mul(dx, h); // (B, T, D)
          }
          x.addi(move); // (B, T, D), in place: x lives across steps
          NDArray real = TokenCrossEntropy.pick(logits[0], rows); // (R, V)
          summary = TokenDraws.summarise(real, new TokenDraws.Rule(
              SamplerConfig.TokenChoice.GREEDY, 1, 1, s.temperature()), new int[0],
              new double[0]);
        }
        // commits after this step, before it is recorded: a position committed here shows as
        // revealed with the token this step's argmax gave it
        float[] mask = commits == null ? null : new float[n * len];
        long[] ids = commits == null ? null : new long[n * len];
        if (commits != null && commits.commit(k + 1, summary, mask, ids)
            && k < grid.length - 2) {
          try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray add = run.create(mask).reshape(n, len, 1); // (B, T, 1)
            NDArray clean = emb.get(new NDIndex("{}", run.create(ids))).reshape(n, len, d);
            x.muli(Scalars.add(add.neg(), 1f)).addi(clean.mul(add)); // (B, T, D), in place
            givenArray.addi(add); // (B, T, 1), in place
          }
        }
        int offset = 0;
        for (int b = 0; b < n; b++) {
          traces.get(b).add(record(k + 1, sigma, summary, offset, lengths[b], given[b],
              commits == null ? null : commits.committedAt(b), previous[b]));
          offset += lengths[b];
        }
        if (progress != null) {
          progress.accept(k + 1, grid.length - 1);
        }
      }
    }
    List<String> vocabStrings = new ArrayList<>(vocab);
    for (int v = 0; v < vocab; v++) {
      vocabStrings.add(tok.token(v));
    }
    String label = s.steps() + " " + s.solver().id() + " steps, T=" + s.temperature()
        + (commits(s) ? ", " + s.remasking().id() + " commits" : "");
    List<DenoiseTrace> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      int[] finalTokens = traces.get(b).getLast().tokens();
      out.add(new DenoiseTrace("cdcd", label, seed, vocabStrings, Math.min(prompt.length,
          lengths[b]), traces.get(b), tok.decode(finalTokens)));
    }
    return out;
  }

  /**
   * (x − x̂₀)/σ at every position (zero at given positions), on the device; {@code logits[0]}
   * gets the logits (B, T, V). With self-conditioning {@code previous0} holds the last estimate
   * x̂₀ and is overwritten with the new one.
   */
  private static NDArray direction(DenoiserModel<CdcdDenoiser> model, NDArray x, double sigma,
      NDArray givenArray, NDArray keepArray, NDArray emb, double temperature, NDArray[] logits,
      NDArray previous0) {
    NDManager m = x.getManager();
    long n = x.getShape().get(0);
    float[] sig = new float[(int) n];
    Arrays.fill(sig, (float) sigma);
    NDList inputs = new NDList(x, m.create(sig).reshape(n, 1, 1), givenArray, keepArray);
    if (previous0 != null) {
      inputs.add(previous0); // (B, T, D)
    }
    logits[0] = model.block().forward(model.store(), inputs, false).head(); // (B, T, V)
    NDArray x0 = CdcdObjective.denoised(logits[0], emb, (float) temperature); // (B, T, D)
    if (previous0 != null) {
      Scalars.muli(previous0, 0f).addi(x0); // in place: the estimate lives across steps
    }
    return Scalars.div(x.sub(x0), (float) sigma)
        .mul(Scalars.add(givenArray.neg(), 1f)); // (B, T, D)
  }

  /** Flattened (b, i) of every real position of the padded (B, T) canvas. */
  private static int[] realRows(int[] lengths, int len) {
    int[] rows = new int[Arrays.stream(lengths).sum()];
    int r = 0;
    for (int b = 0; b < lengths.length; b++) {
      for (int i = 0; i < lengths[b]; i++) {
        rows[r++] = b * len + i;
      }
    }
    return rows;
  }

  /** Whether {@code s} commits positions on the way down (low-confidence or random remasking). */
  static boolean commits(SamplerConfig s) {
    return s.remasking() == SamplerConfig.Remasking.LOW_CONFIDENCE
        || s.remasking() == SamplerConfig.Remasking.RANDOM;
  }

  /**
   * Which positions are committed, and the schedule they are committed by: per sample, the free
   * (not prompt) positions stay noised in the counts of {@link
   * dev.diffulab.core.config.MaskSchedule#maskedCounts}.
   */
  private static final class Commits {
    private final int[][] committedAt;
    private final float[][] given;
    private final int[][] noisedAfter;
    private final int[] lengths;
    private final int[] offsets;
    private final Random random;

    private Commits(float[][] given, int[] lengths, int[][] noisedAfter, Random random) {
      this.given = given;
      this.lengths = lengths;
      this.noisedAfter = noisedAfter;
      this.random = random;
      this.committedAt = new int[lengths.length][];
      this.offsets = new int[lengths.length];
      for (int b = 0, o = 0; b < lengths.length; o += lengths[b], b++) {
        committedAt[b] = new int[given[b].length];
        Arrays.fill(committedAt[b], -1);
        offsets[b] = o;
      }
    }

    static Commits of(SamplerConfig s, float[][] given, int[] lengths, int steps,
        Random random) {
      if (!commits(s)) {
        return null;
      }
      int[][] counts = new int[lengths.length][];
      for (int b = 0; b < lengths.length; b++) {
        int free = 0;
        for (int i = 0; i < lengths[b]; i++) {
          free += given[b][i] > 0 ? 0 : 1;
        }
        counts[b] = s.schedule().maskedCounts(free, steps);
      }
      return new Commits(given, lengths, counts, random);
    }

    /** Per position of sample {@code b}, the step it was committed at, or −1. */
    int[] committedAt(int b) {
      return committedAt[b];
    }

    /**
     * Commits, after step {@code k}, the positions the schedule reveals by then: the surest by
     * the step's top probability (or random ones), each as the step's argmax token; fills
     * {@code mask} and {@code ids} (B·T) with them and answers whether there were any.
     */
    boolean commit(int k, TokenDraws.Summary summary, float[] mask, long[] ids) {
      boolean any = false;
      int len = given.length == 0 ? 0 : given[0].length;
      for (int b = 0; b < lengths.length; b++) {
        int open = 0;
        for (int i = 0; i < lengths[b]; i++) {
          open += given[b][i] > 0 ? 0 : 1;
        }
        int take = open - noisedAfter[b][k];
        for (int c = 0; c < take; c++) {
          int best = -1;
          double bestScore = Double.NEGATIVE_INFINITY;
          for (int i = 0; i < lengths[b]; i++) {
            if (given[b][i] > 0) {
              continue;
            }
            double score = random != null
                ? random.nextDouble()
                : summary.topProbs()[offsets[b] + i][0];
            if (score > bestScore) {
              bestScore = score;
              best = i;
            }
          }
          if (best < 0) {
            break;
          }
          given[b][best] = 1f;
          committedAt[b][best] = k;
          mask[b * len + best] = 1f;
          ids[b * len + best] = summary.topIds()[offsets[b] + best][0];
          any = true;
        }
      }
      return any;
    }
  }

  private static TraceStep record(int step, double sigma, TokenDraws.Summary s, int offset,
      int length, float[] given, int[] committedAt, int[] previous) {
    int[] tokens = new int[length];
    TokenState[] states = new TokenState[length];
    float[] conf = new float[length];
    float[] entropy = new float[length];
    int[][] topIds = new int[length][];
    float[][] topProbs = new float[length][];
    for (int i = 0; i < length; i++) {
      topIds[i] = s.topIds()[offset + i];
      topProbs[i] = s.topProbs()[offset + i];
      tokens[i] = topIds[i][0];
      conf[i] = topProbs[i][0];
      entropy[i] = s.entropy()[offset + i];
      int at = committedAt == null ? -1 : committedAt[i];
      if (at == step) {
        states[i] = TokenState.REVEALED; // committed at this step, as its argmax
      } else if (at >= 0) {
        states[i] = TokenState.KEPT; // committed earlier: its token stays
        tokens[i] = previous[i];
      } else if (given[i] > 0) {
        states[i] = TokenState.GIVEN;
        tokens[i] = previous[i];
      } else {
        states[i] = tokens[i] != previous[i] ? TokenState.CHANGED : TokenState.KEPT;
      }
      previous[i] = tokens[i];
    }
    return new TraceStep(step, sigma, tokens, states, conf, entropy, topIds, topProbs);
  }

  /** The nearest token (largest dot product with Ê) to every position of x (B, T, D). */
  private static int[][] nearest(NDArray x, NDArray emb, int n, int len, int d) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      long[] ids = x.reshape(-1, d).matMul(emb.transpose()).argMax(-1).toLongArray(); // (B·T)
      int[][] out = new int[n][len];
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < len; i++) {
          out[b][i] = (int) ids[b * len + i];
        }
      }
      return out;
    }
  }
}
