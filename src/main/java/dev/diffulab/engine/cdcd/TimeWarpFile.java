package dev.diffulab.engine.cdcd;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.diffulab.core.InputException;
import dev.diffulab.core.cdcd.TimeWarp;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.CorpusReader;
import java.nio.file.Path;

/**
 * The fitted time warp in a checkpoint ({@code time_warp.json}): its knots, fit parameters and
 * the window of (ln σ, cross-entropy) points the next refit reads.
 */
public final class TimeWarpFile {
  public static final String NAME = "time_warp.json";

  private TimeWarpFile() {
  }

  public static String write(TimeWarp warp, RunConfig config) {
    JsonObject o = new JsonObject();
    o.addProperty("fit", config.cdcd().warpFit().id());
    o.addProperty("sigma_min", config.cdcd().sigmaMin());
    o.addProperty("sigma_max", config.cdcd().sigmaMax());
    o.add("knots", new com.google.gson.Gson().toJsonTree(warp.knots()));
    // the window the next refit reads: a resumed run refits exactly what the run would have
    o.add("points", new com.google.gson.Gson().toJsonTree(warp.points()));
    if (warp.cauchyParameters() != null) {
      o.add("cauchy_h_mu_s_c", new com.google.gson.Gson().toJsonTree(warp.cauchyParameters()));
    }
    return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
  }

  public static void restore(TimeWarp warp, Path file) {
    try {
      JsonObject o = JsonParser.parseString(CorpusReader.readUtf8(file, "time warp file"))
          .getAsJsonObject();
      double[][] knots = new com.google.gson.Gson().fromJson(o.get("knots"), double[][].class);
      if (knots != null && knots.length > 0) {
        warp.restore(knots);
      }
      if (o.has("points")) {
        warp.restorePoints(new com.google.gson.Gson().fromJson(o.get("points"),
            double[][].class));
      }
    } catch (RuntimeException e) {
      throw new InputException("time warp file " + file + " is damaged: " + e.getMessage());
    }
  }
}
