package dev.diffulab.core.device;

import dev.diffulab.core.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPU setting the Device dialog chose, kept between sessions in a small {@code KEY=VALUE}
 * file that the launchers read before Java starts and {@link #apply} reads before PyTorch loads.
 */
public final class GpuChoice {
  private GpuChoice() {
  }

  /**
   * Where the choice is kept: {@code ~/.diffulab/gpu.env}, one {@code KEY=VALUE} a line, read by
   * the launchers before Java starts (the system property {@code diffulab.gpuFile} names another).
   */
  public static Path file() {
    String p = System.getProperty("diffulab.gpuFile");
    return p != null
        ? Path.of(p)
        : Path.of(System.getProperty("user.home"), ".diffulab",
            "gpu.env");
  }

  /** Keeps {@code env} as the choice for the next starts (written atomically). */
  public static void save(Map<String, String> env) throws IOException {
    Path f = file().toAbsolutePath();
    Files.createDirectories(f.getParent());
    StringBuilder b = new StringBuilder("# DiffuLab's GPU setting (Device dialog); delete to"
        + " use the CPU build\n");
    env.forEach((k, v) -> {
      if (v.contains("\n") || v.contains("\r")) {
        throw new InputException("GPU setting " + k + ": a path with a line break");
      }
      b.append(k).append('=').append(v).append('\n');
    });
    Path tmp = Files.createTempFile(f.getParent(), ".gpu", ".tmp");
    try {
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Goes back to the CPU build at the next start. */
  public static void clear() throws IOException {
    Files.deleteIfExists(file());
  }

  /** The saved choice (empty: the CPU build). */
  public static Map<String, String> load() {
    Map<String, String> env = new LinkedHashMap<>();
    Path f = file();
    if (!Files.isRegularFile(f)) {
      return env;
    }
    try {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          env.put(line.substring(0, eq).strip(), line.substring(eq + 1));
        }
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable setting is no setting: the CPU build
    }
    return env;
  }

  /** The settings DJL reads from the environment or, as here, from system properties. */
  private static final List<String> DJL_KEYS = List.of("PYTORCH_LIBRARY_PATH",
      "PYTORCH_VERSION", "PYTORCH_FLAVOR");

  /**
   * Applies the saved choice to this process before PyTorch loads: DJL reads its settings from
   * the environment or from system properties, so a start by any launcher (the scripts, the
   * packaged app) honours the choice; what the environment already sets wins. A choice to
   * download lets DJL go online for that. Returns the settings applied.
   */
  public static Map<String, String> apply(Map<String, String> environment) {
    Map<String, String> choice = load();
    Map<String, String> applied = new LinkedHashMap<>();
    for (String k : DJL_KEYS) {
      String v = choice.get(k);
      if (v != null && environment.get(k) == null && System.getProperty(k) == null) {
        System.setProperty(k, v);
        applied.put(k, v);
      }
    }
    if ("1".equals(choice.get("DIFFULAB_DJL_DOWNLOAD"))
        || "1".equals(environment.get("DIFFULAB_DJL_DOWNLOAD"))) {
      System.setProperty("ai.djl.offline", "false");
      applied.put("ai.djl.offline", "false");
    }
    return applied;
  }

}
