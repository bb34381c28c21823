package dev.diffulab.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.diffulab.core.InputException;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TokenState;
import dev.diffulab.core.snapshot.TraceStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions: written and read back unchanged, files that are gone listed, bad files refused. */
class LabSessionTest {
  @TempDir
  Path dir;

  static DenoiseTrace trace(long seed) {
    List<String> vocab = List.of("[MASK]", "Tom", "ran", ".", "home");
    int n = 4;
    TraceStep first = new TraceStep(0, 1.0, new int[]{0, 0, 0, 0}, new TokenState[]{
        TokenState.MASKED, TokenState.MASKED, TokenState.MASKED, TokenState.MASKED},
        new float[n], new float[]{1.2f, 1.1f, 0.9f, 1f}, new int[][]{{1, 2}, {2, 4}, {4, 3},
            {3, 1}},
        new float[][]{{0.5f, 0.2f}, {0.6f, 0.1f}, {0.7f, 0.2f}, {0.9f, 0.05f}});
    TraceStep last = new TraceStep(1, 0.0, new int[]{1, 2, 4, 3}, new TokenState[]{
        TokenState.REVEALED, TokenState.REVEALED, TokenState.KEPT, TokenState.REVEALED},
        new float[]{0.5f, 0.6f, 0.7f, 0.9f}, new float[n], new int[][]{{1}, {2}, {4}, {3}},
        new float[][]{{1f}, {1f}, {1f}, {1f}});
    return new DenoiseTrace("masked", "2 steps", seed, vocab, 0, List.of(first, last),
        "Tom ran home.");
  }

  static LabSession session(String model, String corpus) {
    return new LabSession(LabSession.FORMAT, model, null, corpus, "tinytales",
        new LabSession.Masking("Tom ran home.", 0.4, 17, 2),
        new LabSession.Denoise(64, "cosine", "low-confidence", "nucleus", "euler", 20, 0.9, 0.8,
            0, 4, "5", "Once upon", true, "linear", "ancestral", false,
            LabSession.traces(List.of(trace(1), trace(2))), LabSession.traces(List.of(trace(3))),
            4, 0.05));
  }

  @Test
  void aSessionIsReadBackAsItWasWritten() throws Exception {
    Path file = dir.resolve("lab.diffulab-session");
    LabSession s = session(LabSession.demo("demo"), "tinytales");
    s.write(file);
    LabSession back = LabSession.read(file);
    assertEquals(s.model(), back.model());
    assertEquals(s.masking(), back.masking());
    assertEquals("demo", LabSession.demoName(back.model()));
    LabSession.Denoise d = back.denoise();
    assertEquals(64, d.steps());
    assertEquals("Once upon", d.prefix());
    assertTrue(d.compare());
    assertEquals(4, d.blocks());
    // a session written before blocks existed reads as 0 blocks, which the window shows as 1
    String older = java.nio.file.Files.readString(file).replace(",\"blocks\":4", "");
    assertTrue(!older.contains("\"blocks\""), "the field is gone from the older text");
    assertEquals(0, LabSession.parse(older, "older").denoise().blocks());
    List<DenoiseTrace> a = LabSession.denoiseTraces(d.tracesA());
    assertEquals(2, a.size());
    DenoiseTrace t = a.get(1);
    DenoiseTrace original = trace(2);
    assertEquals(original.finalText(), t.finalText());
    assertEquals(original.vocab(), t.vocab());
    for (int i = 0; i < original.steps().size(); i++) {
      TraceStep x = original.steps().get(i);
      TraceStep y = t.steps().get(i);
      assertArrayEquals(x.tokens(), y.tokens());
      assertArrayEquals(x.states(), y.states());
      assertArrayEquals(x.confidence(), y.confidence());
      assertArrayEquals(x.entropy(), y.entropy());
      assertArrayEquals(x.topIds(), y.topIds());
      assertArrayEquals(x.topProbs(), y.topProbs());
    }
    assertEquals(1, LabSession.denoiseTraces(d.tracesB()).size());
    assertEquals(List.of(), back.missingFiles());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file is left");
    }
  }

  @Test
  void filesThatAreGoneAreListedAndTheRestKept() throws Exception {
    Path model = Files.createDirectories(dir.resolve("ckpt"));
    Path corpus = dir.resolve("stories.txt");
    Files.writeString(corpus, "A story.\n");
    LabSession s = session(model.toString(), corpus.toString());
    Path file = dir.resolve("s.diffulab-session");
    s.write(file);
    assertEquals(List.of(), LabSession.read(file).missingFiles());
    Files.delete(corpus);
    Files.delete(model);
    LabSession back = LabSession.read(file);
    assertEquals(List.of("model: " + model, "corpus: " + corpus), back.missingFiles());
    assertEquals("Tom ran home.", back.masking().text());
  }

  @Test
  void badSessionsAreRefusedNamingTheKey() throws Exception {
    JsonObject valid = JsonParser.parseString(
        new com.google.gson.Gson().toJson(session(null, "tinytales"))).getAsJsonObject();
    JsonObject wrongFormat = valid.deepCopy();
    wrongFormat.addProperty("format", 9);
    assertTrue(refuse(wrongFormat).contains("'format'"));
    JsonObject ratio = valid.deepCopy();
    ratio.getAsJsonObject("masking").addProperty("ratio", 7);
    assertTrue(refuse(ratio).contains("'masking.ratio'"));
    JsonObject id = valid.deepCopy();
    step(id, 0, 1).getAsJsonArray("tokens").set(2, new JsonPrimitive(99));
    assertTrue(refuse(id).contains("'denoise.tracesA[0].steps[1].tokens[2]'"), refuse(id));
    JsonObject state = valid.deepCopy();
    step(state, 0, 0).getAsJsonArray("states").set(0, new JsonPrimitive("FLYING"));
    assertTrue(refuse(state).contains("states[0]"), refuse(state));
    JsonObject shorter = valid.deepCopy();
    step(shorter, 1, 0).getAsJsonArray("entropy").remove(0);
    assertTrue(refuse(shorter).contains("different lengths"), refuse(shorter));
    String trailing = LabSession.parse(valid.toString(), "x") != null ? valid + " }" : "";
    InputException e = assertThrows(InputException.class,
        () -> LabSession.parse(trailing, "broken.diffulab-session"));
    assertTrue(e.getMessage().startsWith("session broken.diffulab-session: not a DiffuLab"),
        e.getMessage());
    assertFalse(e.getMessage().contains("http"), "our words only: " + e.getMessage());
    assertThrows(InputException.class, () -> LabSession.read(dir.resolve("none")));
  }

  @Test
  void randomDamageToASessionIsReadOrRefusedClearly() {
    String valid = new com.google.gson.Gson().toJson(session(LabSession.demo("demo"), "x"));
    Random r = new Random(21);
    int refused = 0;
    for (int i = 0; i < 2000; i++) {
      String text = damage(valid, r);
      try {
        LabSession s = LabSession.parse(text, "fuzz");
        s.missingFiles();
        LabSession.denoiseTraces(s.denoise() == null ? null : s.denoise().tracesA());
      } catch (InputException ex) {
        refused++;
        assertTrue(ex.getMessage() != null && !ex.getMessage().contains("\n"),
            "one line: " + ex.getMessage());
      } catch (RuntimeException ex) {
        fail("threw " + ex + " for " + (text.length() > 300 ? text.substring(0, 300) : text), ex);
      }
    }
    assertTrue(refused > 500, "most damage is refused: " + refused);
  }

  private static String damage(String valid, Random r) {
    JsonObject o = JsonParser.parseString(valid).getAsJsonObject();
    for (int n = 1 + r.nextInt(3); n > 0; n--) {
      JsonElement target = r.nextBoolean() ? step(o, r.nextInt(2), r.nextInt(2)) : o;
      JsonObject obj = target.getAsJsonObject();
      List<String> keys = List.copyOf(obj.keySet());
      String key = keys.get(r.nextInt(keys.size()));
      JsonElement v = obj.get(key);
      if (v.isJsonArray() && !v.getAsJsonArray().isEmpty() && r.nextBoolean()) {
        JsonArray a = v.getAsJsonArray();
        a.set(r.nextInt(a.size()), odd(r));
      } else if (r.nextInt(3) == 0) {
        obj.remove(key);
      } else {
        obj.add(key, odd(r));
      }
    }
    String text = o.toString();
    return switch (r.nextInt(10)) {
      case 0 -> text.substring(0, r.nextInt(text.length()));
      case 1 -> text + "]]";
      default -> text;
    };
  }

  private static JsonElement odd(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> new JsonPrimitive(-1);
      case 1 -> new JsonPrimitive(1e12);
      case 2 -> new JsonPrimitive("NaN");
      case 3 -> new JsonPrimitive("x");
      case 4 -> new JsonArray();
      case 5 -> new JsonObject();
      case 6 -> com.google.gson.JsonNull.INSTANCE;
      case 7 -> new JsonPrimitive(true);
      default -> new JsonPrimitive(r.nextInt(10));
    };
  }

  private static JsonObject step(JsonObject session, int trace, int step) {
    JsonElement denoise = session.get("denoise");
    JsonElement traces = denoise == null || !denoise.isJsonObject()
        ? null
        : denoise.getAsJsonObject().get("tracesA");
    if (traces == null || !traces.isJsonArray() || traces.getAsJsonArray().size() <= trace
        || !traces.getAsJsonArray().get(trace).isJsonObject()) {
      return session;
    }
    JsonElement steps = traces.getAsJsonArray().get(trace).getAsJsonObject().get("steps");
    if (steps == null || !steps.isJsonArray() || steps.getAsJsonArray().size() <= step
        || !steps.getAsJsonArray().get(step).isJsonObject()) {
      return session;
    }
    return steps.getAsJsonArray().get(step).getAsJsonObject();
  }

  private static String refuse(JsonObject o) {
    return assertThrows(InputException.class, () -> LabSession.parse(o.toString(), "s"))
        .getMessage();
  }
}
