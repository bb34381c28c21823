package dev.diffulab.engine.method;

import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.pairs.Tasks;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import dev.diffulab.engine.runtime.EngineContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Diffusion of Thought's two ways of answering. Single pass: the rationale and the answer are
 * denoised together after the question. Multi-pass: one thought at a time — the response is
 * denoised, only its first thought (up to the task's thought end, {@code +} for multiplication,
 * {@code .} otherwise) is kept and appended to the condition, and the next pass answers the longer
 * condition C' = [C, R1], then C'' = [C, R1, R2], until a pass writes the final answer or the end.
 * A multi-pass trace is every pass's steps in a row, the thoughts already kept shown as given.
 */
public final class DiffusionOfThought {
  /** More passes than any response has thoughts: a model that never ends stops here. */
  static final int MAX_PASSES = 64;

  private DiffusionOfThought() {
  }

  /**
   * Answers {@code prompts} (each a question and its separator) on canvases of {@code length},
   * in one pass or thought by thought.
   */
  public static List<DenoiseTrace> answer(LoadedModel lm, SamplerConfig s, List<int[]> prompts,
      int length, long seed, EngineContext ctx, boolean multiPass) {
    if (!multiPass) {
      return lm.method().answer(lm, s, prompts, length, seed, ctx);
    }
    if (!lm.config().method().answersThoughtByThought()) {
      throw new dev.diffulab.core.InputException(lm.config().method().displayName()
          + " decodes a whole response from one latent: it cannot answer thought by thought;"
          + " leave multi-pass off");
    }
    var tok = lm.tokenizer();
    int sep = tok.sepId();
    Set<String> ends = Tasks.thoughtEnds(lm.config().data().corpus());
    int n = prompts.size();
    int[][] condition = new int[n][];
    boolean[] done = new boolean[n];
    List<List<TraceStep>> steps = new ArrayList<>();
    DenoiseTrace[] last = new DenoiseTrace[n];
    int[][] shown = new int[n][]; // what the last pass ended on, to mark what a later one revised
    for (int b = 0; b < n; b++) {
      condition[b] = prompts.get(b).clone();
      steps.add(new ArrayList<>());
      done[b] = condition[b].length >= length;
    }
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      List<Integer> live = new ArrayList<>();
      List<int[]> asked = new ArrayList<>();
      for (int b = 0; b < n; b++) {
        if (!done[b]) {
          live.add(b);
          asked.add(condition[b]);
        }
      }
      if (live.isEmpty()) {
        break;
      }
      List<DenoiseTrace> traces = lm.method().answer(lm, s, asked, length,
          seed * 31 + pass, ctx);
      for (int i = 0; i < live.size(); i++) {
        int b = live.get(i);
        DenoiseTrace t = traces.get(i);
        int given = prompts.get(b).length;
        for (TraceStep st : t.steps()) {
          if (!steps.get(b).isEmpty() && st.step() == 0) {
            continue; // a later pass starts where the last one's kept thought left it
          }
          steps.get(b).add(renumber(st, steps.get(b).size(), given, condition[b].length,
              shown[b], tok.maskId()));
        }
        last[b] = t;
        int[] canvas = t.last().tokens();
        shown[b] = canvas.clone();
        int from = condition[b].length;
        int to = thoughtEnd(canvas, from, sep, ends, tok);
        condition[b] = Arrays.copyOf(canvas, to);
        done[b] = to >= length || canvas[to - 1] == sep || to == from;
      }
    }
    List<DenoiseTrace> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      DenoiseTrace t = last[b];
      out.add(new DenoiseTrace(t.method(), t.settings() + ", one thought a pass", t.seed(),
          t.vocab(), prompts.get(b).length, steps.get(b), t.finalText()));
    }
    return out;
  }

  /**
   * Where the thought that starts at {@code from} ends (exclusive): after its thought-end token;
   * a thought that holds the final answer's marker ({@code #}) runs to the response's end, and
   * the end token closes it.
   */
  public static int thoughtEnd(int[] canvas, int from, int sep, Set<String> ends,
      dev.diffulab.engine.text.TextTokenizer tok) {
    for (int j = from; j < canvas.length; j++) {
      String t = tok.token(canvas[j]);
      if (canvas[j] == sep) {
        return j + 1;
      }
      if (t.startsWith("#") && !t.startsWith("##")) {
        // the final answer: to the end of the response
        int k = j;
        while (k < canvas.length && canvas[k] != sep) {
          k++;
        }
        return Math.min(canvas.length, k + 1);
      }
      if (ends.contains(t)) {
        return j + 1;
      }
    }
    return canvas.length;
  }

  /**
   * A pass's step as the whole run's step {@code k}: the kept thoughts shown as kept, and a token
   * a later pass wrote differently from what the last pass had shown there marked as changed —
   * the thought revised.
   */
  static TraceStep renumber(TraceStep st, int k, int prompt, int kept, int[] before,
      int maskId) {
    TokenState[] states = st.states().clone();
    for (int i = prompt; i < Math.min(kept, states.length); i++) {
      states[i] = TokenState.KEPT;
    }
    int[] now = st.tokens();
    for (int i = kept; before != null && i < Math.min(before.length, now.length); i++) {
      if (states[i] == TokenState.REVEALED && before[i] != maskId && now[i] != before[i]) {
        states[i] = TokenState.CHANGED;
      }
    }
    return new TraceStep(k, st.level(), st.tokens(), states, st.confidence(), st.entropy(),
        st.topIds(), st.topProbs());
  }
}
