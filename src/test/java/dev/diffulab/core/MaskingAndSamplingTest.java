package dev.diffulab.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.config.MaskSchedule;
import dev.diffulab.core.config.MaskingConfig;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.masking.MaskedBatch;
import dev.diffulab.core.masking.MaskingPolicy;
import dev.diffulab.core.masking.NestedMask;
import dev.diffulab.core.sampling.MaskedSampling;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskingAndSamplingTest {
  private static final int PAD = 0;
  private static final int MASK = 4;

  private static int[][] sequences(int n, int len, int real) {
    int[][] s = new int[n][len];
    for (int[] row : s) {
      for (int j = 0; j < real; j++) {
        row[j] = 10 + j % 7;
      }
    }
    return s;
  }

  @Test
  void maskedShareFollowsTheRatioAndPaddingAndPrefixAreNeverMasked() {
    MaskingConfig c = new MaskingConfig(MaskingConfig.Ratio.LEVELS, 1e-3,
        MaskingConfig.Weighting.NONE, 5, false);
    MaskingPolicy p = new MaskingPolicy(c, PAD, MASK);
    Random r = new Random(1);
    for (float t : new float[]{0.1f, 0.5f, 0.9f}) {
      float[] ratios = new float[400];
      java.util.Arrays.fill(ratios, t);
      MaskedBatch b = p.corrupt(sequences(400, 64, 50), ratios, r);
      long masked = 0;
      for (int i = 0; i < b.size(); i++) {
        for (int j = 0; j < 64; j++) {
          if (b.masked()[i][j] > 0) {
            masked++;
            assertTrue(j >= 5 && j < 50, "masked a prefix or padding position " + j);
            assertEquals(MASK, b.noisy()[i][j]);
          } else {
            assertEquals(b.clean()[i][j], b.noisy()[i][j]);
          }
        }
      }
      double share = masked / (400.0 * 45);
      // binomial: 18,000 trials, 4 standard deviations
      assertEquals(t, share, 4 * Math.sqrt(t * (1 - t) / 18000), "share at t=" + t);
    }
  }

  @Test
  void uniformRatiosAreStratifiedAcrossTheBatch() {
    MaskingConfig c = new MaskingConfig(MaskingConfig.Ratio.UNIFORM, 1e-3,
        MaskingConfig.Weighting.NONE, 0, false);
    float[] t = new MaskingPolicy(c, PAD, MASK).ratios(10, new Random(2));
    java.util.Arrays.sort(t);
    for (int i = 0; i < 10; i++) {
      assertTrue(t[i] > i / 10.0 - 1e-6 && t[i] <= (i + 1) / 10.0 + 1e-6, "slice " + i);
    }
  }

  @Test
  void nestedMasksGrowMonotonicallyTrackTheRatioAndKeepThePrefix() {
    NestedMask m = new NestedMask(64, 4, 9);
    boolean[] prev = m.at(0.0);
    for (int pct = 10; pct <= 100; pct++) {
      boolean[] now = m.at(pct / 100.0);
      int count = 0;
      for (int i = 0; i < 64; i++) {
        if (prev[i]) {
          assertTrue(now[i], "a token unmasked as the ratio rose");
        }
        if (now[i]) {
          count++;
          assertTrue(i >= 4, "prefix masked");
        }
      }
      assertTrue(Math.abs(count - Math.round(pct / 100.0 * 60)) <= 1, pct + "% -> " + count);
      prev = now;
    }
    assertArrayEquals(new NestedMask(64, 4, 9).at(0.37), m.at(0.37));
  }

  @Test
  void everyScheduleStartsFullEndsEmptyAndNeverRemasksMore() {
    for (MaskSchedule s : MaskSchedule.values()) {
      int[] c = s.maskedCounts(50, 16);
      assertEquals(50, c[0]);
      assertEquals(0, c[16]);
      for (int k = 1; k <= 16; k++) {
        assertTrue(c[k] <= c[k - 1], s + " step " + k);
      }
    }
    // cosine reveals few early, exponential many early
    assertTrue(MaskSchedule.COSINE.maskedCounts(100, 10)[1] > 95);
    assertTrue(MaskSchedule.EXPONENTIAL.maskedCounts(100, 10)[1] < 60);
  }

  /** A fake model: position i always prefers token 10 + i % 7, with some spread. */
  private static float[] fakeProbs(int len, int vocab) {
    float[] p = new float[len * vocab];
    for (int i = 0; i < len; i++) {
      for (int v = 5; v < vocab; v++) {
        p[i * vocab + v] = 0.01f;
      }
      p[i * vocab + 10 + i % 7] = 1f - 0.01f * (vocab - 6) + 0.01f * (i % 3);
    }
    return p;
  }

  private static List<TraceStep> run(SamplerConfig s, int len, int[] prompt, long seed) {
    int vocab = 20;
    MaskedSampling m = new MaskedSampling(s, len, prompt, MASK, vocab, seed);
    while (!m.done()) {
      m.advance(fakeProbs(len, vocab), 0);
    }
    return m.trace();
  }

  /**
   * The collapse of issue 32, in miniature: at every blank the model says "he" 52 %, "she" 48 %.
   * Ranked by the drawn token's probability, the first blank revealed is whichever drew the
   * likelier word — "he" in nearly every sample; ranked by the position's top probability, the
   * first word keeps the model's odds.
   */
  @Test
  void rankingByTheDrawnTokenTurnsNearEvenOddsIntoOneChoice() {
    int vocab = 4;
    int len = 8;
    float[] p = new float[len * vocab];
    for (int i = 0; i < len; i++) {
      p[i * vocab + 2] = 0.52f; // "he"
      p[i * vocab + 3] = 0.48f; // "she"
    }
    RunConfig base = RunConfig.parse("{}", "test");
    double[] heFirst = new double[2];
    for (SamplerConfig.Confidence c : SamplerConfig.Confidence.values()) {
      SamplerConfig s = base.sampler().with(len, MaskSchedule.LINEAR,
          SamplerConfig.Remasking.LOW_CONFIDENCE, SamplerConfig.TokenChoice.NUCLEUS, 4, 1.0, 1.0,
          len, 1).withConfidence(c);
      int he = 0;
      int samples = 600;
      for (int seed = 0; seed < samples; seed++) {
        MaskedSampling m = new MaskedSampling(s, len, new int[0], MASK, vocab, seed);
        m.advance(p, 0);
        int[] first = java.util.Arrays.stream(m.tokens()).filter(t -> t != MASK).toArray();
        assertEquals(1, first.length, "one blank revealed in the first of " + len + " steps");
        he += first[0] == 2 ? 1 : 0;
      }
      heFirst[c.ordinal()] = (double) he / samples;
    }
    double drawn = heFirst[SamplerConfig.Confidence.DRAWN.ordinal()];
    double top = heFirst[SamplerConfig.Confidence.TOP.ordinal()];
    assertTrue(drawn > 0.95, "drawn-token ranking: 'he' first in " + drawn);
    assertTrue(Math.abs(top - 0.52) < 0.07, "top-probability ranking: 'he' first in " + top);
  }

  @Test
  void neighbouringSeedsStartUnrelatedStreams() {
    // a batch's canvases are seeded one apart; their first draws must not be one draw
    double[] first = new double[200];
    for (int seed = 0; seed < first.length; seed++) {
      first[seed] = new java.util.Random(MaskedSampling.scramble(seed)).nextDouble();
    }
    long below = java.util.Arrays.stream(first).filter(u -> u < 0.5).count();
    assertTrue(below > 70 && below < 130, below + " of 200 first draws below 0.5");
  }

  @Test
  void everyRuleAndChoiceEndsWithoutMasksRevealsOnScheduleAndHonoursThePrefix() {
    RunConfig base = RunConfig.parse("{}", "test");
    for (SamplerConfig.Remasking rule : SamplerConfig.Remasking.values()) {
      for (SamplerConfig.TokenChoice choice : SamplerConfig.TokenChoice.values()) {
        for (MaskSchedule schedule : MaskSchedule.values()) {
          SamplerConfig s = base.sampler().with(8, schedule, rule, choice, 3, 0.9, 1.0, 30, 1);
          List<TraceStep> trace = run(s, 30, new int[]{11, 12}, 5);
          assertEquals(9, trace.size(), "K+1 states");
          TraceStep last = trace.getLast();
          for (int i = 0; i < 30; i++) {
            assertTrue(last.tokens()[i] != MASK, rule + "/" + choice + " left a mask");
          }
          for (TraceStep st : trace) {
            assertEquals(11, st.tokens()[0]);
            assertEquals(TokenState.GIVEN, st.states()[1]);
          }
          if (rule != SamplerConfig.Remasking.ANCESTRAL
              && rule != SamplerConfig.Remasking.REMDM) {
            int[] counts = schedule.maskedCounts(28, 8);
            for (TraceStep st : trace) {
              long masked = java.util.Arrays.stream(st.tokens()).filter(t -> t == MASK).count();
              assertEquals(counts[st.step()], masked, rule + " " + schedule + " step " + st.step());
            }
          }
        }
      }
    }
  }

  @Test
  void sameSeedSameTraceAndRandomRemaskingCanRemask() {
    RunConfig base = RunConfig.parse("{}", "test");
    SamplerConfig s = base.sampler().with(10, MaskSchedule.LINEAR,
        SamplerConfig.Remasking.RANDOM, SamplerConfig.TokenChoice.NUCLEUS, 3, 0.9, 1.0, 40, 1);
    List<TraceStep> a = run(s, 40, new int[0], 3);
    List<TraceStep> b = run(s, 40, new int[0], 3);
    for (int k = 0; k < a.size(); k++) {
      assertArrayEquals(a.get(k).tokens(), b.get(k).tokens());
    }
    boolean remasked = a.stream().anyMatch(st -> java.util.Arrays.asList(st.states())
        .contains(TokenState.REMASKED));
    assertTrue(remasked, "random remasking never re-masked a revealed token");
  }

  /** Low-confidence unmasking of greedy picks on a linear schedule, one sample of {@code len}. */
  private static SamplerConfig greedyLowConfidence(int steps, int len) {
    return RunConfig.parse("{}", "test").sampler().with(steps, MaskSchedule.LINEAR,
        SamplerConfig.Remasking.LOW_CONFIDENCE, SamplerConfig.TokenChoice.GREEDY, 3, 0.9, 1.0,
        len, 1);
  }

  @Test
  void blocksFillLeftToRightOnScheduleAfterThePrompt() {
    SamplerConfig whole = greedyLowConfidence(12, 32);
    SamplerConfig inBlocks = whole.withBlocks(4);
    int[] prompt = {11, 12};
    int[] counts = MaskSchedule.LINEAR.maskedCounts(30, 12);
    List<TraceStep> trace = run(inBlocks, 32, prompt, 4);
    for (TraceStep st : trace) {
      long masked = java.util.Arrays.stream(st.tokens()).filter(t -> t == MASK).count();
      assertEquals(counts[st.step()], masked, "blocks change which, never how many");
      // the written positions after the prompt are always a run from its start: no blank
      // stands left of a written token, blocks of 30 / 4 positions filled in order
      int firstBlank = 32;
      for (int i = 2; i < 32; i++) {
        if (st.tokens()[i] == MASK) {
          firstBlank = Math.min(firstBlank, i);
        }
      }
      int blockEnd = 2 + (int) Math.ceil((firstBlank - 2 + 1) * 4 / 30.0) * 30 / 4;
      for (int i = Math.max(firstBlank, blockEnd) + 1; i < 32; i++) {
        assertEquals(MASK, st.tokens()[i], "step " + st.step() + ": position " + i
            + " written before the block of position " + firstBlank + " was full");
      }
    }
    // one block is the plain rule: the fake model's surest positions (i % 3 == 2, ten of them)
    // anywhere first — after step 4 (ten written) the last of them, 29, is written; in blocks not
    List<TraceStep> plain = run(whole, 32, prompt, 4);
    assertEquals(20, counts[4]);
    assertTrue(plain.get(4).tokens()[29] != MASK, "plain ranking reaches the end early");
    assertEquals(MASK, trace.get(4).tokens()[29]);
    assertTrue(trace.getLast().tokens()[29] != MASK);
  }

  @Test
  void gumbelNoiseOnConfidencesRevealsOnScheduleButNotAlwaysTheMostConfident() {
    SamplerConfig plain = greedyLowConfidence(8, 30);
    SamplerConfig noisy = plain.withRemaskingTemperature(5.0);
    int[] counts = MaskSchedule.LINEAR.maskedCounts(30, 8);
    List<TraceStep> a = run(plain, 30, new int[0], 4);
    List<TraceStep> b = run(noisy, 30, new int[0], 4);
    for (TraceStep st : b) {
      long masked = java.util.Arrays.stream(st.tokens()).filter(t -> t == MASK).count();
      assertEquals(counts[st.step()], masked, "noise changes which, never how many");
    }
    // the fake model is most confident where i % 3 == 2: plain ranking reveals those first
    boolean differs = false;
    for (int i = 0; i < 30; i++) {
      differs |= (a.get(1).tokens()[i] == MASK) != (b.get(1).tokens()[i] == MASK);
    }
    assertTrue(differs, "Gumbel noise never changed which positions were revealed first");
    assertArrayEquals(a.getLast().tokens(), run(plain, 30, new int[0], 4).getLast().tokens());
  }

  @Test
  void remdmLoopRemasksTheLeastSureWrittenTokensThenWritesThemAgain() {
    RunConfig base = RunConfig.parse("{}", "test");
    // 8 steps, a quarter of them looping: 6 decode steps, then 2 loop steps; 28 written tokens,
    // η = 0.1 → ⌈2.8⌉ = 3 re-masked per loop step
    SamplerConfig s = base.sampler().with(8, MaskSchedule.COSINE,
        SamplerConfig.Remasking.REMDM, SamplerConfig.TokenChoice.GREEDY, 3, 0.9, 1.0, 30, 1)
        .withRemdm(0.25, 0.1);
    assertEquals(6, s.decodeSteps());
    List<TraceStep> trace = run(s, 30, new int[]{11, 12}, 5);
    assertEquals(9, trace.size(), "K+1 states");
    for (int k = 6; k <= 7; k++) {
      TraceStep st = trace.get(k);
      long masked = java.util.Arrays.stream(st.tokens()).filter(t -> t == MASK).count();
      assertEquals(3, masked, "step " + k + " leaves the re-masked tokens for the next");
      // the fake model is least sure where i % 3 == 0: those are re-masked, earliest first
      List<Integer> remasked = new java.util.ArrayList<>();
      for (int i = 0; i < 30; i++) {
        if (st.tokens()[i] == MASK) {
          assertEquals(TokenState.REMASKED, st.states()[i]);
          remasked.add(i);
        }
      }
      assertEquals(List.of(3, 6, 9), remasked, "step " + k);
    }
    TraceStep last = trace.getLast();
    assertTrue(java.util.Arrays.stream(last.tokens()).noneMatch(t -> t == MASK));
    assertEquals(11, last.tokens()[0]);
    // decoding by confidence first: the schedule's counts exactly, then the same loop
    SamplerConfig byConfidence = s.withRemdm(0.25, 0.1, SamplerConfig.Remasking.LOW_CONFIDENCE);
    List<TraceStep> c = run(byConfidence, 30, new int[]{11, 12}, 5);
    int[] decodeCounts = MaskSchedule.COSINE.maskedCounts(28, 6);
    for (int k = 0; k < 6; k++) {
      long masked = java.util.Arrays.stream(c.get(k).tokens()).filter(t -> t == MASK).count();
      assertEquals(decodeCounts[k], masked, "decode step " + k);
    }
    assertEquals(3, java.util.Arrays.stream(c.get(6).tokens()).filter(t -> t == MASK).count());
    assertTrue(java.util.Arrays.stream(c.getLast().tokens()).noneMatch(t -> t == MASK));
    // without a loop it is ancestral sampling
    SamplerConfig noLoop = s.withRemdm(0.0, 0.1);
    assertEquals(8, noLoop.decodeSteps());
    assertArrayEquals(run(noLoop, 30, new int[0], 9).getLast().tokens(), run(s.with(8,
        MaskSchedule.COSINE, SamplerConfig.Remasking.ANCESTRAL, SamplerConfig.TokenChoice.GREEDY,
        3, 0.9, 1.0, 30, 1), 30, new int[0], 9).getLast().tokens());
  }
}
