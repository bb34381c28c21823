package dev.diffulab.engine.masked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.sampling.MaskedSampling;
import dev.diffulab.core.sampling.PositionScores;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.engine.model.Denoiser;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.model.TokenCrossEntropy;
import dev.diffulab.engine.model.TokenDraws;
import dev.diffulab.engine.runtime.EngineContext;
import dev.diffulab.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@link MaskedSampling} for several samples at once: one forward pass per step over the
 * batch of canvases (shorter canvases padded, padding hidden from attention), the vocabulary head
 * at real positions only, and the draws, entropies and top five computed on the device
 * ({@link TokenDraws}): no distribution over the vocabulary reaches the host.
 */
public final class MaskedSampler {
  private MaskedSampler() {
  }

  /**
   * @param lengths canvas length of each sample (prompt included)
   * @param prompt prefix token ids, the same for every sample
   * @param progress called after each step with (step, steps); may be null
   */
  public static List<DenoiseTrace> sample(DenoiserModel<Denoiser> model, TextTokenizer tokenizer,
      SamplerConfig settings, int[] lengths, int[] prompt, long seed, EngineContext ctx,
      java.util.function.BiConsumer<Integer, Integer> progress) {
    return sample(model, tokenizer, settings, lengths, prompt, seed, ctx, progress, true);
  }

  /**
   * As above; {@code rankFirst} false draws at every blank even where the canvas could choose
   * its reveals first — the reference the tests compare the cheaper way with.
   */
  static List<DenoiseTrace> sample(DenoiserModel<Denoiser> model, TextTokenizer tokenizer,
      SamplerConfig settings, int[] lengths, int[] prompt, long seed, EngineContext ctx,
      java.util.function.BiConsumer<Integer, Integer> progress, boolean rankFirst) {
    int[][] prompts = new int[lengths.length][];
    Arrays.fill(prompts, prompt);
    return sample(model, tokenizer, settings, lengths, prompts, seed, ctx, progress, rankFirst);
  }

  /**
   * As above with a prompt of each sample's own ({@code prompts[b]}, kept as given): the answers
   * of a pair model to many questions in one batch.
   */
  public static List<DenoiseTrace> sample(DenoiserModel<Denoiser> model,
      TextTokenizer tokenizer, SamplerConfig settings, int[] lengths, int[][] prompts, long seed,
      EngineContext ctx, java.util.function.BiConsumer<Integer, Integer> progress,
      boolean rankFirst) {
    int n = lengths.length;
    int vocab = model.vocab();
    int maxLen = Arrays.stream(lengths).max().orElseThrow();
    List<MaskedSampling> canvases = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      canvases.add(new MaskedSampling(settings, lengths[b], prompts[b], tokenizer.maskId(),
          vocab, seed * 1_000_003L + b));
    }
    TokenDraws.Rule rule = TokenDraws.Rule.of(settings);
    Cache cache = new Cache(model.manager().newSubManager());
    try (cache) {
      for (int k = 1; k <= settings.steps(); k++) {
        denoise(k, model, tokenizer, settings, canvases, maxLen, rule, cache, ctx, progress,
            rankFirst);
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
          Math.min(prompts[b].length, lengths[b]), c.trace(), tokenizer.decode(c.tokens())));
    }
    return out;
  }

  /**
   * MDLM's cache: the transformer's output for the canvases as last seen. A step whose canvases
   * did not change (no token revealed or re-masked since) reuses it instead of running the
   * transformer again — exact, since the model is deterministic at sampling time.
   */
  private static final class Cache implements AutoCloseable {
    private final NDManager manager;
    private int[][] ids;
    private NDArray hidden;

    Cache(NDManager manager) {
      this.manager = manager;
    }

    NDArray hidden(DenoiserModel<Denoiser> model, NDManager m, int[][] now, float[][] keep) {
      if (hidden != null && java.util.Arrays.deepEquals(ids, now)) {
        return hidden;
      }
      if (hidden != null) {
        hidden.close();
      }
      hidden = model.block().hidden(model.store(), m, now, keep, false); // (B, L, D)
      NDScope.unregister(hidden);
      hidden.attach(manager);
      ids = now;
      return hidden;
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  private static void denoise(int k, DenoiserModel<Denoiser> model, TextTokenizer tokenizer,
      SamplerConfig settings, List<MaskedSampling> canvases, int maxLen, TokenDraws.Rule rule,
      Cache cache, EngineContext ctx, java.util.function.BiConsumer<Integer, Integer> progress,
      boolean rankFirst) {
    int n = canvases.size();
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
    step(model, canvases, ids, keep, maxLen, rule, cache, rankFirst);
    if (progress != null) {
      progress.accept(k, settings.steps());
    }
  }

  /**
   * One denoising step for every canvas: hidden states of the batch, the head at the real
   * positions only, and the reductions of {@link TokenDraws} on the device.
   */
  private static void step(DenoiserModel<Denoiser> model, List<MaskedSampling> canvases,
      int[][] ids,
      float[][] keep, int maxLen, TokenDraws.Rule rule, Cache cache, boolean rankFirst) {
    int n = canvases.size();
    int real = 0;
    for (MaskedSampling c : canvases) {
      real += c.length();
    }
    int[] rows = new int[real]; // flattened (b, i) of every real position
    int[][] masked = new int[n][];
    double[][] uniforms = new double[n][];
    int draws = 0;
    int r = 0;
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < canvases.get(b).length(); i++) {
        rows[r++] = b * maxLen + i;
      }
      masked[b] = canvases.get(b).drawPositions();
      uniforms[b] = canvases.get(b).drawUniforms();
      draws += masked[b].length;
    }
    int[] drawRows = new int[draws];
    double[] u = new double[draws];
    int d = 0;
    int offset = 0;
    for (int b = 0; b < n; b++) {
      for (int j = 0; j < masked[b].length; j++) {
        drawRows[d] = offset + masked[b][j];
        u[d++] = uniforms[b][j];
      }
      offset += canvases.get(b).length();
    }
    boolean revealFirst = rankFirst
        && canvases.stream().allMatch(MaskedSampling::ranksBeforeDrawing);
    TokenDraws.Summary s;
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray h = cache.hidden(model, m, ids, keep); // (B, L, D)
      NDArray picked = TokenCrossEntropy.pick(h, rows); // (R, D)
      NDArray logits = model.head().project(model.store(), picked, false); // (R, V)
      s = revealFirst
          ? drawWhereRevealed(logits, rule, canvases, masked, uniforms)
          : TokenDraws.summarise(logits, rule, drawRows, u);
    }
    d = 0;
    offset = 0;
    for (int b = 0; b < n; b++) {
      MaskedSampling c = canvases.get(b);
      int len = c.length();
      int[] proposal = new int[len];
      float[] conf = new float[len];
      for (int i : masked[b]) {
        proposal[i] = s.chosen()[d];
        conf[i] = s.chosenProb()[d++];
      }
      c.advance(new PositionScores(proposal, conf,
          Arrays.copyOfRange(s.entropy(), offset, offset + len),
          Arrays.copyOfRange(s.topIds(), offset, offset + len),
          Arrays.copyOfRange(s.topProbs(), offset, offset + len)));
      offset += len;
    }
  }

  /**
   * Low-confidence unmasking by the top probability: the entropies and top fives of every row
   * first, from which each canvas chooses what it reveals; then tokens drawn at those rows only,
   * each with the uniform its position had (so the same tokens as drawing everywhere). Returns
   * the summary {@link #step} reads, its draws in the order of {@code masked}, zero where
   * nothing was drawn.
   */
  private static TokenDraws.Summary drawWhereRevealed(NDArray logits, TokenDraws.Rule rule,
      List<MaskedSampling> canvases, int[][] masked, double[][] uniforms) {
    TokenDraws.Summary stats = TokenDraws.summarise(logits, rule, new int[0], new double[0]);
    int total = 0;
    for (int[] m : masked) {
      total += m.length;
    }
    int[] revealRows = new int[total];
    double[] revealU = new double[total];
    int[] slot = new int[total]; // where each draw goes among all canvases' masked positions
    int n = 0;
    int offset = 0;
    int before = 0;
    for (int b = 0; b < canvases.size(); b++) {
      MaskedSampling c = canvases.get(b);
      float[][] top = Arrays.copyOfRange(stats.topProbs(), offset, offset + c.length());
      for (int i : c.reveals(top)) {
        int j = Arrays.binarySearch(masked[b], i); // masked positions are ascending
        revealRows[n] = offset + i;
        revealU[n] = uniforms[b][j];
        slot[n++] = before + j;
      }
      offset += c.length();
      before += masked[b].length;
    }
    TokenDraws.Drawn drawn = TokenDraws.drawAt(logits, rule, Arrays.copyOf(revealRows, n),
        Arrays.copyOf(revealU, n));
    int[] chosen = new int[total];
    float[] chosenProb = new float[total];
    for (int k = 0; k < n; k++) {
      chosen[slot[k]] = drawn.chosen()[k];
      chosenProb[slot[k]] = drawn.chosenProb()[k];
    }
    return new TokenDraws.Summary(stats.entropy(), stats.topIds(), stats.topProbs(), chosen,
        chosenProb);
  }

  public static String describe(SamplerConfig s) {
    String choice = switch (s.tokenChoice()) {
      case GREEDY -> "greedy";
      case TOP_K -> "top-" + s.topK();
      case NUCLEUS -> "top-p " + s.topP();
      case MIN_P -> "min-p " + s.minP();
    };
    String rule = switch (s.remasking()) {
      case REMDM -> String.format(java.util.Locale.ROOT, "remdm (%s, loop %.2f, η %.3f%s)",
          s.remdmDecode().id(), s.remdmLoop(), s.remdmEta(), s.remaskingTemperature() > 0
              ? ", Gumbel " + s.remaskingTemperature()
              : "");
      case LOW_CONFIDENCE -> s.remaskingTemperature() > 0
          ? "low-confidence (Gumbel " + s.remaskingTemperature() + ")"
          : "low-confidence";
      default -> s.remasking().id();
    };
    if (s.blocks() > 1 && s.unmaskingRule() == SamplerConfig.Remasking.LOW_CONFIDENCE) {
      rule += " in " + s.blocks() + " blocks";
    }
    if (s.confidence() == SamplerConfig.Confidence.DRAWN
        && s.unmaskingRule() == SamplerConfig.Remasking.LOW_CONFIDENCE) {
      rule += " by the drawn token";
    }
    return s.steps() + " steps, " + s.schedule().id() + ", " + rule + ", " + choice
        + ", T=" + s.temperature();
  }
}
