package dev.diffulab.core.checkpoint;

import dev.diffulab.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The trained models that ship with DiffuLab: ordinary checkpoint directories under
 * {@code assets/models/<name>} that travel inside the application's jar. A checkpoint is a folder
 * of files the engine reads by path, so a demo model is copied once into a cache folder
 * ({@code ~/.diffulab/models}, or the {@code diffulab.modelCache} property) under a name that
 * carries the hash of its manifest: a newer DiffuLab with a retrained demo never reads a stale
 * copy. The copy is written into a temporary sibling and renamed, so an interrupted first start
 * leaves nothing half-copied.
 */
public final class DemoModels {
  /** The names the command line and the Models menu know, in the order the menu lists them. */
  public static final List<String> NAMES = List.of("demo", "demo-cdcd", "demo-latent",
      "demo-multiplication-3x3", "demo-multiplication-3x3-ar", "demo-summaries-latent",
      "demo-summaries-ar");
  /** The image demo models (Gaussian diffusion), opened when the image family is picked. */
  public static final List<String> IMAGE_NAMES = List.of("demo-images");
  private static final List<String> FILES = List.of("config.json", "tokenizer.json",
      "model.params", "manifest.json", "time_warp.json", "image-config.json",
      "image-manifest.json");

  private DemoModels() {
  }

  /** The demo models this build carries (a build may carry none, or only some). */
  public static List<String> available() {
    List<String> out = new ArrayList<>();
    for (String n : NAMES) {
      if (DemoModels.class.getResource(resource(n, "manifest.json")) != null) {
        out.add(n);
      }
    }
    return out;
  }

  /** The image demo models this build carries. */
  public static List<String> availableImages() {
    List<String> out = new ArrayList<>();
    for (String n : IMAGE_NAMES) {
      if (DemoModels.class.getResource(resource(n, manifestFile(n))) != null) {
        out.add(n);
      }
    }
    return out;
  }

  private static String manifestFile(String name) {
    return IMAGE_NAMES.contains(name) ? "image-manifest.json" : "manifest.json";
  }

  /** The shipped manifest of a demo model, or null when this build does not carry it. */
  public static Manifest manifest(String name) {
    byte[] bytes = read(name, "manifest.json");
    return bytes == null
        ? null
        : Manifest.parse(new String(bytes,
            java.nio.charset.StandardCharsets.UTF_8), "demo model " + name);
  }

  /** The one-line label of a shipped demo model ({@link ModelLabel}), or null without it. */
  public static String label(String name) {
    byte[] config = read(name, "config.json");
    Manifest m = manifest(name);
    if (config == null || m == null) {
      return null;
    }
    return ModelLabel.of(dev.diffulab.core.config.RunConfig.parse(new String(config,
        java.nio.charset.StandardCharsets.UTF_8), "demo model " + name), m);
  }

  /**
   * What a {@code --checkpoint} argument names: an existing path is itself; otherwise a demo
   * model's name ({@code demo}, {@code demo-cdcd}) is that model's folder, copied out of the
   * application on first use; anything else stays as given (and is reported missing where it
   * is read).
   */
  public static Path resolve(Path given) {
    if (given == null || Files.exists(given) || given.getNameCount() != 1
        || !(NAMES.contains(given.toString()) || IMAGE_NAMES.contains(given.toString()))) {
      return given;
    }
    List<String> carried = new ArrayList<>(available());
    carried.addAll(availableImages());
    if (!carried.contains(given.toString())) {
      throw new InputException("this build of DiffuLab carries no demo model '" + given
          + "' (it carries: " + (carried.isEmpty() ? "none" : String.join(", ", carried))
          + ")");
    }
    return folder(given.toString());
  }

  /** The on-disk folder of a shipped demo model, copying it out of the application if needed. */
  public static Path folder(String name) {
    byte[] manifest = read(name, manifestFile(name));
    if (manifest == null) {
      throw new InputException("this build of DiffuLab carries no demo model '" + name + "'");
    }
    Path dir = cacheDir().resolve(name + "-" + shortHash(manifest));
    if (Files.isRegularFile(dir.resolve(manifestFile(name)))) {
      return dir;
    }
    try {
      Files.createDirectories(dir.getParent());
      Path tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".tmp-");
      try {
        for (String f : FILES) {
          try (InputStream in = DemoModels.class.getResourceAsStream(resource(name, f))) {
            if (in != null) {
              Files.copy(in, tmp.resolve(f));
            }
          }
        }
        try {
          Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, dir);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
          // another DiffuLab copied it meanwhile: theirs is as good as ours
        }
      } finally {
        deleteTree(tmp);
      }
      return dir;
    } catch (IOException e) {
      throw new InputException("cannot copy the demo model '" + name + "' to " + dir + " ("
          + e.getMessage() + "); set -Ddiffulab.modelCache to a writable folder");
    }
  }

  /** Where demo models are copied to. */
  public static Path cacheDir() {
    String override = System.getProperty("diffulab.modelCache");
    return override != null
        ? Path.of(override)
        : Path.of(System.getProperty("user.home"), ".diffulab", "models");
  }

  private static String resource(String name, String file) {
    return "/assets/models/" + name + "/" + file;
  }

  private static byte[] read(String name, String file) {
    try (InputStream in = DemoModels.class.getResourceAsStream(resource(name, file))) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String shortHash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a folder and everything in it (nothing when it is not there). */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
