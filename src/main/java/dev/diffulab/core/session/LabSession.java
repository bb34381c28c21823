package dev.diffulab.core.session;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.diffulab.core.InputException;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of the lab that File → Save session writes and Open session reads back: which models
 * are open (a demo by name, a checkpoint by path), the Train corpus and tokenizer, the Masking
 * workspace's text, ratio, seed and prefix lock, the Denoise workspace's settings and the traces
 * it recorded. Files are referred to by path, never copied; {@link #missingFiles()} says which of
 * them are gone.
 *
 * @param model the model of Masking and Denoise: {@code demo:NAME}, a checkpoint folder, or null
 * @param compareModel model B of the Denoise comparison, the same way, or null
 * @param corpus the Train corpus: a path, or {@code tinytales}
 * @param tokenizer the Train tokenizer: a path, or {@code tinytales}
 */
public record LabSession(int format, String model, String compareModel, String corpus,
    String tokenizer, Masking masking, Denoise denoise) {
  public static final int FORMAT = 1;
  /** The file name extension of session files. */
  public static final String EXTENSION = "diffulab-session";
  private static final String DEMO = "demo:";
  private static final long MAX_BYTES = 256L << 20;

  /** The Masking workspace: its text, mask ratio (0.1–1), seed and prefix lock. */
  public record Masking(String text, double ratio, long seed, int prefix) {
  }

  /**
   * The Denoise workspace: settings A (and B when comparing) and the recorded traces. {@code
   * blocks} is 0 in sessions written before it existed: one block; {@code minP} likewise 0: the
   * model's own.
   */
  public record Denoise(int steps, String schedule, String remasking, String sampling,
      String solver, int topK, double topP, double temperature, int length, int samples,
      String seed, String prefix, boolean compare, String scheduleB, String remaskingB,
      boolean otherModel, List<Trace> tracesA, List<Trace> tracesB, int blocks, double minP) {
  }

  /** A recorded denoising run of one sample, with its vocabulary. */
  public record Trace(String method, String settings, long seed, List<String> vocab,
      int prefixLength, List<Step> steps, String finalText) {

    static Trace of(DenoiseTrace t) {
      return new Trace(t.method(), t.settings(), t.seed(), t.vocab(), t.prefixLength(),
          t.steps().stream().map(s -> new Step(s.step(), s.level(), s.tokens(),
              s.states(), s.confidence(), s.entropy(), s.topIds(), s.topProbs())).toList(),
          t.finalText());
    }

    DenoiseTrace trace() {
      return new DenoiseTrace(method, settings, seed, vocab, prefixLength,
          steps.stream().map(s -> new TraceStep(s.step(), s.level(), s.tokens(), s.states(),
              s.confidence(), s.entropy(), s.topIds(), s.topProbs())).toList(),
          finalText);
    }
  }

  /** One step of a trace, as {@link TraceStep}. */
  public record Step(int step, double level, int[] tokens, TokenState[] states,
      float[] confidence, float[] entropy, int[][] topIds, float[][] topProbs) {
  }

  /** The session's reference to a shipped demo model. */
  public static String demo(String name) {
    return DEMO + name;
  }

  /** The demo's name if {@code model} names one, else null. */
  public static String demoName(String model) {
    return model != null && model.startsWith(DEMO) ? model.substring(DEMO.length()) : null;
  }

  /** Recorded traces in the session's form. */
  public static List<Trace> traces(List<DenoiseTrace> traces) {
    return traces == null ? List.of() : traces.stream().map(Trace::of).toList();
  }

  /** The session's traces as the Denoise workspace shows them. */
  public static List<DenoiseTrace> denoiseTraces(List<Trace> traces) {
    return traces == null ? List.of() : traces.stream().map(Trace::trace).toList();
  }

  /** The files this session refers to that no longer exist, each as "what: path". */
  public List<String> missingFiles() {
    List<String> out = new ArrayList<>();
    missing(out, "model", demoName(model) == null ? model : null);
    missing(out, "comparison model", demoName(compareModel) == null ? compareModel : null);
    missing(out, "corpus", "tinytales".equals(corpus) ? null : corpus);
    missing(out, "tokenizer", "tinytales".equals(tokenizer) ? null : tokenizer);
    return out;
  }

  private static void missing(List<String> out, String what, String path) {
    if (gone(path)) {
      out.add(what + ": " + path + (valid(path) ? "" : " (not a valid path)"));
    }
  }

  /** The file paths this session names (models by folder, corpus, tokenizer) that are gone. */
  public java.util.Set<String> missingPaths() {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String p : new String[]{demoName(model) == null ? model : null,
        demoName(compareModel) == null ? compareModel : null,
        "tinytales".equals(corpus) ? null : corpus,
        "tinytales".equals(tokenizer) ? null : tokenizer}) {
      if (gone(p)) {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean gone(String path) {
    return path != null && !path.isBlank() && (!valid(path) || !Files.exists(Path.of(path)));
  }

  private static boolean valid(String path) {
    try {
      Path.of(path);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Gson gson() {
    return new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
        .create();
  }

  /** Writes the session to {@code file} atomically (a temporary file, then a rename). */
  public void write(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".session", ".tmp");
    try {
      Files.writeString(tmp, gson().toJson(this) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a session file; anything wrong is one {@link InputException} naming file and key. */
  public static LabSession read(Path file) {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InputException("session " + file + ": larger than 256 MB, not a session");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      if (e instanceof InputException ie) {
        throw ie;
      }
      throw new InputException("session " + file + ": cannot be read (" + e.getMessage() + ")");
    }
    return parse(text, file.toString());
  }

  /** Parses a session's JSON text; {@code source} names it in messages. */
  public static LabSession parse(String text, String source) {
    LabSession s;
    try {
      s = gson().fromJson(text, LabSession.class);
    } catch (RuntimeException e) {
      // Gson reports malformed text, wrong types and out-of-range numbers in several ways
      throw new InputException("session " + source + ": not a DiffuLab session file ("
          + firstLine(e.getMessage()) + ")");
    }
    if (s == null) {
      throw new InputException("session " + source + ": the file is empty");
    }
    s.check(source);
    return s;
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "unreadable";
    }
    int cut = m.indexOf("\nSee ");
    m = cut >= 0 ? m.substring(0, cut) : m;
    int url = m.indexOf(" See https://");
    return (url >= 0 ? m.substring(0, url) : m).lines().findFirst().orElse(m);
  }

  private void check(String source) {
    if (format != FORMAT) {
      throw bad(source, "format", "is " + format + ", this DiffuLab reads " + FORMAT);
    }
    if (masking != null) {
      if (!(masking.ratio >= 0 && masking.ratio <= 1)) {
        throw bad(source, "masking.ratio", "must be between 0 and 1, is " + masking.ratio);
      }
      if (masking.prefix < 0) {
        throw bad(source, "masking.prefix", "must not be negative");
      }
    }
    if (denoise != null) {
      if (denoise.steps < 1 || denoise.steps > 100_000) {
        throw bad(source, "denoise.steps", "must be 1 … 100000, is " + denoise.steps);
      }
      if (!(denoise.topP > 0 && denoise.topP <= 1)) {
        throw bad(source, "denoise.topP", "must be in (0, 1], is " + denoise.topP);
      }
      if (!(denoise.temperature > 0 && denoise.temperature <= 100)) {
        throw bad(source, "denoise.temperature", "must be in (0, 100], is "
            + denoise.temperature);
      }
      if (denoise.blocks < 0 || denoise.blocks > 4096) {
        throw bad(source, "denoise.blocks", "must be 0 … 4096, is " + denoise.blocks);
      }
      if (denoise.topK < 0 || denoise.length < 0 || denoise.samples < 0) {
        throw bad(source, "denoise", "topK, length and samples must not be negative");
      }
      checkTraces(source, "denoise.tracesA", denoise.tracesA);
      checkTraces(source, "denoise.tracesB", denoise.tracesB);
    }
  }

  private static void checkTraces(String source, String key, List<Trace> traces) {
    if (traces == null) {
      return;
    }
    for (int k = 0; k < traces.size(); k++) {
      Trace t = traces.get(k);
      String at = key + "[" + k + "]";
      if (t == null || t.method == null || t.vocab == null || t.steps == null
          || t.steps.isEmpty()) {
        throw bad(source, at, "is incomplete (method, vocab and steps are needed)");
      }
      try {
        dev.diffulab.core.config.Method.of(t.method);
      } catch (IllegalArgumentException e) {
        throw bad(source, at + ".method", "is '" + t.method + "', not a diffusion method this"
            + " version knows (" + java.util.Arrays.stream(dev.diffulab.core.config.Method.values())
                .map(dev.diffulab.core.config.Method::id)
                .collect(java.util.stream.Collectors.joining(
                    ", "))
            + ")");
      }
      int n = -1;
      for (int i = 0; i < t.steps.size(); i++) {
        Step s = t.steps.get(i);
        String st = at + ".steps[" + i + "]";
        if (s == null || s.tokens == null || s.states == null || s.confidence == null
            || s.entropy == null || s.topIds == null || s.topProbs == null) {
          throw bad(source, st, "is incomplete");
        }
        if (n < 0) {
          n = s.tokens.length;
        }
        if (s.tokens.length != n || s.states.length != n || s.confidence.length != n
            || s.entropy.length != n || s.topIds.length != n || s.topProbs.length != n) {
          throw bad(source, st, "has arrays of different lengths");
        }
        for (int p = 0; p < n; p++) {
          if (s.states[p] == null) {
            throw bad(source, st + ".states[" + p + "]", "is not a token state");
          }
          checkId(source, st + ".tokens[" + p + "]", s.tokens[p], t.vocab.size());
          if (s.topIds[p] == null || s.topProbs[p] == null
              || s.topIds[p].length != s.topProbs[p].length) {
            throw bad(source, st + ".topIds[" + p + "]", "does not match topProbs");
          }
          for (int id : s.topIds[p]) {
            checkId(source, st + ".topIds[" + p + "]", id, t.vocab.size());
          }
        }
      }
      if (t.prefixLength < 0 || t.prefixLength > n) {
        throw bad(source, at + ".prefixLength", "must be 0 … " + n);
      }
    }
  }

  private static void checkId(String source, String key, int id, int vocab) {
    if (id < 0 || id >= vocab) {
      throw bad(source, key, "token id " + id + " is outside the vocabulary of " + vocab);
    }
  }

  private static InputException bad(String source, String key, String problem) {
    return new InputException("session " + source + ": key '" + key + "' " + problem);
  }
}
