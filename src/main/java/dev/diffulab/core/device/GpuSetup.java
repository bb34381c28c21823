package dev.diffulab.core.device;

import dev.diffulab.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What it takes to train on an NVIDIA GPU, and the setting that gets there. DiffuLab ships
 * PyTorch's CPU natives (DJL's CUDA natives are too big for Maven Central); a CUDA build comes
 * either from a local PyTorch 2.7.1 + CUDA 12.8 (a libtorch folder or a pip {@code torch/lib}) or
 * from DJL's own download, once. Either way the app restarts with {@link #environment} set; the
 * choice is kept by {@link GpuChoice}, whose file the launchers read.
 */
public final class GpuSetup {
  /** The PyTorch version DiffuLab's DJL JNI is built for. */
  public static final String PYTORCH_VERSION = "2.7.1";
  /** The CUDA flavour of DJL's natives for it. */
  public static final String FLAVOR = "cu128";
  /** Roughly what DJL's download of the CUDA natives weighs. */
  public static final String DOWNLOAD_SIZE = "about 2.5 GB";
  /** The oldest driver branch CUDA 12.8 runs on, and the one the RTX 50 series needs. */
  public static final int MIN_DRIVER = 525;
  public static final int MIN_DRIVER_BLACKWELL = 570;

  /** One GPU as the driver reports it. */
  public record Gpu(String name, String driver) {
  }

  /**
   * What was found: the GPUs (empty when none or no driver), the CUDA version the driver
   * supports, why no GPU can be used (null when one can), and the saved choice.
   */
  public record Report(List<Gpu> gpus, String cudaVersion, String problem,
      Map<String, String> choice) {
    /** The report as lines for {@code diffulab info} and the Device dialog. */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      if (gpus.isEmpty()) {
        out.add("GPU: none found" + (problem == null ? "" : " — " + problem));
      }
      for (Gpu g : gpus) {
        out.add("GPU: " + g.name() + " · driver " + g.driver()
            + (cudaVersion == null ? "" : " · CUDA " + cudaVersion));
      }
      if (!gpus.isEmpty() && problem != null) {
        out.add("Problem: " + problem);
      }
      String lib = choice.get("PYTORCH_LIBRARY_PATH");
      if (lib != null) {
        out.add("PyTorch: CUDA build at " + lib);
      } else if (FLAVOR.equals(choice.get("PYTORCH_FLAVOR"))) {
        out.add("PyTorch: CUDA build downloaded by DJL (" + FLAVOR + ")");
      } else {
        out.add("PyTorch: the CPU build shipped with DiffuLab");
      }
      return out;
    }
  }

  private GpuSetup() {
  }

  /** Asks the NVIDIA driver (nvidia-smi) what there is. */
  public static Report detect() {
    return detect(GpuSetup::run, GpuChoice.load());
  }

  /**
   * As {@link #detect()}, with {@code smi} standing in for running nvidia-smi with the given
   * arguments (its output, or empty when it cannot run) — for tests.
   */
  public static Report detect(Function<List<String>, Optional<String>> smi,
      Map<String, String> choice) {
    Optional<String> csv = smi.apply(List.of("--query-gpu=name,driver_version",
        "--format=csv,noheader"));
    if (csv.isEmpty()) {
      return new Report(List.of(), null, "no NVIDIA driver found (nvidia-smi does not run);"
          + " training runs on the CPU", choice);
    }
    List<Gpu> gpus = new ArrayList<>();
    for (String line : csv.get().split("\\R")) {
      String[] parts = line.split(",");
      if (parts.length >= 2 && !parts[0].isBlank()) {
        gpus.add(new Gpu(parts[0].strip(), parts[1].strip()));
      }
    }
    String cuda = smi.apply(List.of()).map(GpuSetup::cudaVersion).orElse(null);
    String problem = gpus.isEmpty() ? "the NVIDIA driver reports no GPU" : null;
    for (Gpu g : gpus) {
      String p = driverProblem(g);
      if (p != null) {
        problem = p;
      }
    }
    return new Report(List.copyOf(gpus), cuda, problem, choice);
  }

  /**
   * The name of CUDA device {@code id} among the GPUs the driver lists (in its PCI order), where
   * it can be told: when every listed GPU has the same name, or when {@code env} asks CUDA for
   * the driver's order ({@code CUDA_DEVICE_ORDER=PCI_BUS_ID}) and hides none of them. CUDA's own
   * order (fastest first) and {@code CUDA_VISIBLE_DEVICES} otherwise decouple the two
   * numberings, and a wrong name would be worse than none: then it is empty.
   */
  public static Optional<String> cudaDeviceName(List<Gpu> gpus, int id, Map<String, String> env) {
    if (gpus.isEmpty() || id < 0) {
      return Optional.empty();
    }
    String first = gpus.get(0).name();
    if (gpus.stream().allMatch(g -> g.name().equals(first))) {
      return Optional.of(first);
    }
    String visible = env.get("CUDA_VISIBLE_DEVICES");
    boolean driverOrder = "PCI_BUS_ID".equals(env.get("CUDA_DEVICE_ORDER"))
        && (visible == null || visible.isBlank());
    return driverOrder && id < gpus.size()
        ? Optional.of(gpus.get(id).name())
        : Optional.empty();
  }

  /** The CUDA version in nvidia-smi's banner ("CUDA Version: 12.8"), or null. */
  static String cudaVersion(String banner) {
    Matcher m = Pattern.compile("CUDA Version:\\s*([0-9.]+)").matcher(banner);
    return m.find() ? m.group(1) : null;
  }

  /** Why {@code g}'s driver cannot run CUDA 12.8 (or the RTX 50 series), or null. */
  static String driverProblem(Gpu g) {
    int major;
    try {
      major = Integer.parseInt(g.driver().split("\\.")[0].strip());
    } catch (RuntimeException e) {
      return null; // an unusual version string: let PyTorch decide
    }
    boolean blackwell = g.name().toUpperCase(Locale.ROOT).matches(".*RTX\\s*50\\d\\d.*");
    int need = blackwell ? MIN_DRIVER_BLACKWELL : MIN_DRIVER;
    if (major < need) {
      return "driver " + g.driver() + " is too old for CUDA 12.8" + (blackwell
          ? " on the RTX 50 series"
          : "") + ": R" + need + " or newer is needed";
    }
    return null;
  }

  /**
   * The folder of a libtorch with CUDA: {@code dir} itself or its {@code lib} subfolder (a
   * libtorch download, or a pip {@code torch} folder). Refuses, naming the folder, one that
   * holds no libtorch, a CPU-only one, or another PyTorch version than 2.7.1.
   */
  public static Path checkLibtorch(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputException("PyTorch folder " + dir + ": not a folder");
    }
    Path lib = Files.isDirectory(dir.resolve("lib")) && !hasLib(dir, "torch")
        ? dir.resolve("lib")
        : dir;
    if (!hasLib(lib, "torch")) {
      throw new InputException("PyTorch folder " + dir + " holds no libtorch (looked for "
          + libName("torch") + " in it and in its lib folder)");
    }
    if (!hasLib(lib, "torch_cuda")) {
      throw new InputException("PyTorch folder " + dir + " holds a libtorch without CUDA ("
          + libName("torch_cuda") + " is missing): install the CUDA 12.8 build");
    }
    version(lib).ifPresent(v -> {
      if (!v.startsWith(PYTORCH_VERSION)) {
        throw new InputException("PyTorch folder " + dir + " holds PyTorch " + v
            + "; DiffuLab's DJL needs " + PYTORCH_VERSION + " (+cu128)");
      }
    });
    return lib.toAbsolutePath().normalize();
  }

  private static boolean hasLib(Path dir, String name) {
    return Files.isRegularFile(dir.resolve(libName(name)));
  }

  private static String libName(String name) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("win")) {
      return name + ".dll";
    }
    return os.contains("mac") ? "lib" + name + ".dylib" : "lib" + name + ".so";
  }

  /** The PyTorch version a libtorch folder declares (libtorch's build-version, pip's version.py). */
  static Optional<String> version(Path lib) {
    try {
      for (Path f : new Path[]{lib.resolve("../build-version"), lib.resolve("build-version")}) {
        if (Files.isRegularFile(f)) {
          return Optional.of(Files.readString(f).strip());
        }
      }
      Path py = lib.resolve("../version.py");
      if (Files.isRegularFile(py)) {
        Matcher m = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]")
            .matcher(Files.readString(py));
        if (m.find()) {
          return Optional.of(m.group(1));
        }
      }
    } catch (IOException | RuntimeException e) {
      // no declared version: PyTorch will say at load time
    }
    return Optional.empty();
  }

  /** The environment of a restart that uses the libtorch in {@code lib}. */
  public static Map<String, String> environment(Path lib) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PYTORCH_LIBRARY_PATH", lib.toString());
    env.put("PYTORCH_VERSION", PYTORCH_VERSION);
    env.put("PYTORCH_FLAVOR", FLAVOR);
    env.put("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "1");
    return env;
  }

  /**
   * The environment of a restart that lets DJL download its CUDA natives once (the only time
   * DiffuLab goes online); later starts find them in DJL's cache.
   */
  public static Map<String, String> downloadEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PYTORCH_VERSION", PYTORCH_VERSION);
    env.put("PYTORCH_FLAVOR", FLAVOR);
    env.put("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "1");
    env.put("DIFFULAB_DJL_DOWNLOAD", "1");
    return env;
  }

  /**
   * The command and environment that start this application again with {@code env} added:
   * the launcher script when one started it ({@code diffulab.home}), else this process's own
   * command line (the packaged app's launcher, or java with its arguments).
   */
  public static ProcessBuilder restart(Map<String, String> env, String home, String osName,
      ProcessHandle.Info self) {
    List<String> cmd = new ArrayList<>();
    if (home != null && !home.isBlank()) {
      boolean windows = osName.toLowerCase(Locale.ROOT).contains("win");
      cmd.add(Path.of(home, "bin", windows ? "diffulab.bat" : "diffulab").toString());
    } else {
      cmd.add(self.command().orElseThrow(() -> new InputException(
          "DiffuLab cannot tell how it was started; start it again yourself")));
      self.arguments().ifPresent(a -> cmd.addAll(List.of(a)));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().putAll(env);
    return pb;
  }

  /** Where DJL keeps PyTorch's natives: {@code DJL_CACHE_DIR} (or ~/.djl.ai), {@code pytorch}. */
  public static Path nativeCache() {
    String dir = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
    Path root = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".djl.ai");
    return root.resolve("pytorch");
  }

  /** Bytes under {@code dir} (0 when it does not exist): a download's progress. */
  public static long bytesUnder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static Optional<String> run(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("nvidia-smi");
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      try (InputStream in = p.getInputStream()) {
        byte[] out = in.readNBytes(1 << 16);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return Optional.empty();
        }
        return p.exitValue() == 0
            ? Optional.of(new String(out, StandardCharsets.UTF_8))
            : Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
