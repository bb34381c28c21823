package dev.diffulab.core.snapshot;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/** Denoising traces as JSON: every step's tokens (as strings and ids), states, confidences and top-5. */
public final class TraceJson {
  private TraceJson() {
  }

  public static String write(List<DenoiseTrace> traces) {
    JsonArray samples = new JsonArray();
    for (DenoiseTrace t : traces) {
      JsonObject o = new JsonObject();
      o.addProperty("method", t.method());
      o.addProperty("settings", t.settings());
      o.addProperty("seed", t.seed());
      o.addProperty("prefix_length", t.prefixLength());
      o.addProperty("final_text", t.finalText());
      JsonArray steps = new JsonArray();
      for (TraceStep s : t.steps()) {
        JsonObject j = new JsonObject();
        j.addProperty("step", s.step());
        j.addProperty(t.family().levelKey(), s.level());
        JsonArray tokens = new JsonArray();
        JsonArray ids = new JsonArray();
        JsonArray states = new JsonArray();
        JsonArray conf = new JsonArray();
        JsonArray entropy = new JsonArray();
        JsonArray top = new JsonArray();
        for (int i = 0; i < s.tokens().length; i++) {
          tokens.add(t.vocab().get(s.tokens()[i]));
          ids.add(s.tokens()[i]);
          states.add(s.states()[i].name().toLowerCase(Locale.ROOT));
          conf.add(round(s.confidence()[i]));
          entropy.add(round(s.entropy()[i]));
          JsonArray cands = new JsonArray();
          for (int k = 0; k < s.topIds()[i].length; k++) {
            JsonObject c = new JsonObject();
            c.addProperty("token", t.vocab().get(s.topIds()[i][k]));
            c.addProperty("p", round(s.topProbs()[i][k]));
            cands.add(c);
          }
          top.add(cands);
        }
        j.add("tokens", tokens);
        j.add("ids", ids);
        j.add("states", states);
        j.add("confidence", conf);
        j.add("entropy", entropy);
        j.add("top5", top);
        steps.add(j);
      }
      o.add("steps", steps);
      samples.add(o);
    }
    JsonObject root = new JsonObject();
    root.add("samples", samples);
    return new GsonBuilder().disableHtmlEscaping().create().toJson(root) + "\n";
  }

  private static double round(float x) {
    return Math.round(x * 1e4) / 1e4;
  }
}
