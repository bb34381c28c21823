package dev.diffulab.core.sampling;

import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.config.SamplerConfig.Remasking;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Iterative unmasking of one canvas, given the model's probabilities at each step. The masked
 * fraction after step k follows the schedule; which positions are revealed is the remasking rule:
 * {@code random} (RoBERTa-diffusion: predict every blank, then mask a random subset of all
 * generated positions again — earlier tokens can be re-masked), {@code low-confidence} (LLaDA /
 * MaskGIT: keep the most confident new predictions, re-mask the rest) or {@code ancestral} (MDLM:
 * each masked token is revealed with probability (t_{k−1} − t_k) / t_{k−1}) or {@code remdm}
 * (ancestral, then a loop that re-masks and rewrites the least sure tokens: ReMDM). Every step is
 * recorded as a {@link TraceStep}. Deterministic for a seed.
 */
public final class MaskedSampling {
  private static final int TOP = 5;

  private final SamplerConfig settings;
  private final TokenChooser chooser;
  private final int maskId;
  private final int vocab;
  private final int length;
  private final int prefix;
  private final int[] tokens;
  private final float[] confidence;
  private final int[] counts;
  private final Random random;
  private final List<TraceStep> trace = new ArrayList<>();
  private int step;
  /** This step's draw positions once decided, until the step is taken. */
  private int[] pendingDraws;
  /** The positions the coming step reveals, when chosen before the draws ({@link #reveals}). */
  private int[] pendingReveals;

  /**
   * A seed whose neighbours give unrelated streams. {@code java.util.Random} seeded with 0, 1,
   * 2, … starts every stream with nearly the same number (0.7310, 0.7309, 0.7311, …), and the
   * canvases of one batch are seeded one apart: their first draws would be the same draw.
   * SplitMix64's finaliser (Steele et al. 2014) spreads the seeds first.
   */
  public static long scramble(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** @param prompt the prefix tokens (never masked), at most {@code length} */
  public MaskedSampling(SamplerConfig settings, int length, int[] prompt, int maskId, int vocab,
      long seed) {
    this.settings = settings;
    this.chooser = new TokenChooser(settings.tokenChoice(), settings.topK(), settings.topP(),
        settings.minP());
    this.maskId = maskId;
    this.vocab = vocab;
    this.length = length;
    this.prefix = Math.min(prompt.length, length);
    this.tokens = new int[length];
    this.confidence = new float[length];
    this.random = new Random(scramble(seed));
    for (int i = 0; i < length; i++) {
      tokens[i] = i < prefix ? prompt[i] : maskId;
      confidence[i] = i < prefix ? 1f : 0f;
    }
    if (settings.remasking() == Remasking.REMDM) {
      // the schedule over the decode steps, then none masked at the end of each loop step
      this.counts = java.util.Arrays.copyOf(settings.schedule().maskedCounts(length - prefix,
          settings.decodeSteps()), settings.steps() + 1);
    } else {
      this.counts = settings.schedule().maskedCounts(length - prefix, settings.steps());
    }
    TokenState[] states = new TokenState[length];
    for (int i = 0; i < length; i++) {
      states[i] = i < prefix ? TokenState.GIVEN : TokenState.MASKED;
    }
    trace.add(new TraceStep(0, 1.0, tokens.clone(), states, confidence.clone(), new float[length],
        new int[length][0], new float[length][0]));
  }

  public boolean done() {
    return step >= settings.steps();
  }

  /** The canvas the model should see next. */
  public int[] tokens() {
    return tokens.clone();
  }

  public int length() {
    return length;
  }

  /** The positions that get a proposal this step: the masked ones after the prompt, in order. */
  public int[] maskedPositions() {
    int n = 0;
    for (int i = prefix; i < length; i++) {
      n += tokens[i] == maskId ? 1 : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = prefix; i < length; i++) {
      if (tokens[i] == maskId) {
        out[k++] = i;
      }
    }
    return out;
  }

  /**
   * The positions that need a drawn token this step, decided once per step: with {@code
   * ancestral} remasking only the masked positions this step reveals (MDLM: each with
   * probability (t_{k−1} − t_k) / t_{k−1}, decided before the model is asked, so nothing is
   * drawn that is not kept); with the other rules every masked position, since the rule compares
   * or re-masks their proposals. Empty when nothing changes this step.
   */
  public int[] drawPositions() {
    if (pendingDraws == null) {
      int[] masked = maskedPositions();
      if (settings.unmaskingRule() == Remasking.ANCESTRAL) {
        int next = step + 1;
        double before = (double) counts[next - 1] / Math.max(1, length - prefix);
        double after = (double) counts[next] / Math.max(1, length - prefix);
        double q = next == settings.steps() || before <= 0 ? 1.0 : (before - after) / before;
        int n = 0;
        int[] kept = new int[masked.length];
        for (int i : masked) {
          if (random.nextDouble() < q) {
            kept[n++] = i;
          }
        }
        pendingDraws = java.util.Arrays.copyOf(kept, n);
      } else {
        pendingDraws = masked;
      }
    }
    return pendingDraws.clone();
  }

  /**
   * Whether this canvas can choose what it reveals before any token is drawn: low-confidence
   * unmasking that ranks the blanks by their top probability. Its sampler then calls {@link
   * #reveals} with the top probabilities and draws tokens only at those positions, which saves
   * the draws (a float64 softmax and a nucleus over the vocabulary) at every blank that stays
   * masked. The tokens are those the full draw would give there: each position keeps its own
   * uniform.
   */
  public boolean ranksBeforeDrawing() {
    return rule() == Remasking.LOW_CONFIDENCE
        && settings.confidence() == SamplerConfig.Confidence.TOP;
  }

  /**
   * For {@link #ranksBeforeDrawing()}: the masked positions the coming step reveals, decided
   * from each position's top probabilities ({@code topProbs[i][0]}, most likely first). Call
   * after {@link #drawUniforms()} and before {@link #advance(PositionScores)}, which then reveals
   * these — with the proposals drawn at them.
   */
  public int[] reveals(float[][] topProbs) {
    if (!ranksBeforeDrawing()) {
      throw new IllegalStateException("only low-confidence unmasking by the top probability"
          + " chooses its reveals before drawing");
    }
    pendingReveals = revealOrder(step + 1, new float[length], topProbs);
    return pendingReveals.clone();
  }

  private Remasking rule() {
    return settings.unmaskingRule();
  }

  /**
   * Low-confidence unmasking at step {@code at}: the blanks ranked by confidence (the top
   * probability, or the drawn token's), with MaskGIT's Gumbel noise whose temperature falls to
   * 0, in blocks left to right (LLaDA's semi-autoregressive remasking); the first as many as the
   * schedule reveals.
   */
  private int[] revealOrder(int at, float[] proposalConf, float[][] topProbs) {
    List<Integer> masked = new ArrayList<>();
    for (int i : maskedPositions()) {
      masked.add(i);
    }
    int reveal = Math.max(0, masked.size() - counts[at]);
    double tau = settings.remaskingTemperature()
        * Math.max(0, 1.0 - (double) (at - 1) / settings.decodeSteps());
    double[] rank = new double[length];
    for (int i : masked) {
      double gumbel = tau > 0
          ? -Math.log(-Math.log(1e-12 + random.nextDouble() * (1 - 2e-12)))
          : 0;
      float sure = settings.confidence() == SamplerConfig.Confidence.TOP
          && topProbs != null && topProbs[i] != null && topProbs[i].length > 0
              ? topProbs[i][0]
              : proposalConf[i];
      rank[i] = Math.log(Math.max(1e-30, sure)) + tau * gumbel;
    }
    masked.sort(java.util.Comparator.comparingInt((Integer i) -> block(i))
        .thenComparing((a, b) -> Double.compare(rank[b], rank[a])));
    int[] out = new int[reveal];
    for (int j = 0; j < reveal; j++) {
      out[j] = masked.get(j);
    }
    return out;
  }

  /**
   * One uniform number in [0, 1) per position of {@link #drawPositions()}, from this canvas's
   * own generator: the inverse-CDF draw of each proposal ({@link TokenChooser#choose}). Call once
   * before each {@link #advance(PositionScores)}.
   */
  public double[] drawUniforms() {
    double[] u = new double[drawPositions().length];
    for (int i = 0; i < u.length; i++) {
      u[i] = random.nextDouble();
    }
    return u;
  }

  /**
   * One step computed on the host from full distributions: {@code p} holds the model's
   * distributions (after temperature) for this canvas, position i's from {@code offset + i ×
   * vocab}. The engine computes the same {@link PositionScores} on the device instead.
   */
  public void advance(float[] p, int offset) {
    int[] masked = drawPositions();
    double[] u = drawUniforms();
    int[] proposal = new int[length];
    float[] proposalConf = new float[length];
    float[] entropy = new float[length];
    int[][] topIds = new int[length][];
    float[][] topProbs = new float[length][];
    for (int i = 0; i < length; i++) {
      int at = offset + i * vocab;
      topIds[i] = TokenChooser.top(p, at, vocab, TOP);
      topProbs[i] = new float[topIds[i].length];
      for (int j = 0; j < topIds[i].length; j++) {
        topProbs[i][j] = p[at + topIds[i][j]];
      }
      double h = 0;
      for (int v = 0; v < vocab; v++) {
        float x = p[at + v];
        if (x > 0) {
          h -= x * Math.log(x);
        }
      }
      entropy[i] = (float) h;
    }
    for (int k = 0; k < masked.length; k++) {
      int i = masked[k];
      int at = offset + i * vocab;
      proposal[i] = chooser.choose(p, at, vocab, u[k]);
      proposalConf[i] = p[at + proposal[i]];
    }
    advance(new PositionScores(proposal, proposalConf, entropy, topIds, topProbs));
  }

  /**
   * One step, given what the model said at every position: a proposal and its probability at each
   * position of {@link #drawPositions()} (drawn with {@link #drawUniforms()}), and entropy and top
   * five everywhere.
   */
  public void advance(PositionScores scores) {
    int[] drawn = drawPositions();
    pendingDraws = null;
    if (pendingReveals != null && rule() != Remasking.LOW_CONFIDENCE) {
      throw new IllegalStateException("reveals are chosen first only by low-confidence");
    }
    step++;
    int[] proposal = scores.proposal();
    float[] proposalConf = scores.proposalConfidence();
    TokenState[] states = new TokenState[length];
    for (int i = 0; i < length; i++) {
      states[i] = i < prefix
          ? TokenState.GIVEN
          : tokens[i] == maskId ? TokenState.MASKED : TokenState.KEPT;
    }
    int target = counts[step];
    Remasking rule = settings.unmaskingRule();
    if (rule == Remasking.RANDOM) {
      // fill every blank, then mask `target` of all generated positions again at random
      List<Integer> generated = new ArrayList<>();
      for (int i = prefix; i < length; i++) {
        generated.add(i);
      }
      java.util.Collections.shuffle(generated, random);
      java.util.Set<Integer> remask = new java.util.HashSet<>(generated.subList(0, target));
      for (int i = prefix; i < length; i++) {
        boolean wasMasked = tokens[i] == maskId;
        if (remask.contains(i)) {
          if (!wasMasked) {
            states[i] = TokenState.REMASKED;
          }
          tokens[i] = maskId;
          confidence[i] = 0f;
        } else if (wasMasked) {
          reveal(i, proposal[i], proposalConf[i], states);
        }
      }
    } else if (rule == Remasking.LOW_CONFIDENCE) {
      int[] order = pendingReveals != null
          ? pendingReveals
          : revealOrder(step, proposalConf, scores.topProbs());
      pendingReveals = null;
      for (int i : order) {
        reveal(i, proposal[i], proposalConf[i], states);
      }
    } else {
      // ancestral: the positions revealed this step were decided in drawPositions()
      for (int i : drawn) {
        reveal(i, proposal[i], proposalConf[i], states);
      }
    }
    if (settings.remasking() == Remasking.REMDM && step >= settings.decodeSteps()
        && step < settings.steps()) {
      remaskLeastSure(states);
    }
    int stillMasked = 0;
    for (int i = prefix; i < length; i++) {
      if (tokens[i] == maskId) {
        stillMasked++;
      }
    }
    trace.add(new TraceStep(step, (double) stillMasked / Math.max(1, length - prefix),
        tokens.clone(), states, confidence.clone(), scores.entropy(), scores.topIds(),
        scores.topProbs()));
  }

  /**
   * ReMDM's loop: re-masks the written tokens with the lowest confidence (the probability the
   * model gave each when it wrote it; ties go to the earlier position), ⌈η × written⌉ of them and
   * at least one, so the next step writes them again with everything else in view. MaskGIT's
   * Gumbel noise at {@code remasking_temperature} varies the choice.
   */
  private void remaskLeastSure(TokenState[] states) {
    int written = length - prefix;
    int m = Math.min(written, Math.max(1, (int) Math.ceil(settings.remdmEta() * written)));
    double tau = settings.remaskingTemperature();
    Integer[] order = new Integer[written];
    double[] rank = new double[length];
    for (int k = 0; k < written; k++) {
      int i = prefix + k;
      order[k] = i;
      double gumbel = tau > 0
          ? -Math.log(-Math.log(1e-12 + random.nextDouble() * (1 - 2e-12)))
          : 0;
      rank[i] = Math.log(Math.max(1e-30, confidence[i])) + tau * gumbel;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(rank[a], rank[b]));
    for (int k = 0; k < m; k++) {
      int i = order[k];
      tokens[i] = maskId;
      confidence[i] = 0f;
      states[i] = TokenState.REMASKED;
    }
  }

  /** The block of position i: the generated positions split into {@code blocks} equal runs. */
  private int block(int i) {
    int generated = Math.max(1, length - prefix);
    return (int) ((long) (i - prefix) * Math.min(settings.blocks(), generated) / generated);
  }

  private void reveal(int i, int token, float conf, TokenState[] states) {
    tokens[i] = token;
    confidence[i] = conf;
    states[i] = TokenState.REVEALED;
  }

  public List<TraceStep> trace() {
    return List.copyOf(trace);
  }

  /** How many positions each step of the schedule leaves masked (entry 0: all). */
  public int[] scheduledCounts() {
    return counts.clone();
  }
}
