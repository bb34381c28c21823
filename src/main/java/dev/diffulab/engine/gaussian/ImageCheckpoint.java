package dev.diffulab.engine.gaussian;

import ai.djl.ndarray.NDManager;
import dev.diffulab.core.InputException;
import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.ImageManifest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * An image checkpoint folder: {@code image-config.json}, {@code model.params} (the weights
 * sampling uses: the moving average when the run keeps one) and {@code image-manifest.json};
 * for going on with training also {@code optimizer.ndlist} (the optimiser's moments) and, with a
 * moving average, {@code train-weights.params} (the trained weights themselves). Written into a temporary sibling and renamed into place, the old
 * one moved aside first; a folder of anything else is never replaced, and files a person put in
 * an image checkpoint stay.
 */
public final class ImageCheckpoint {
  public static final String CONFIG = "image-config.json";
  public static final String PARAMS = "model.params";
  public static final String MANIFEST = "image-manifest.json";
  public static final String TRAIN_WEIGHTS = "train-weights.params";
  public static final String OPTIMIZER = "optimizer.ndlist";
  private static final java.util.Set<String> OWN = java.util.Set.of(CONFIG, PARAMS, MANIFEST,
      TRAIN_WEIGHTS, OPTIMIZER);

  private ImageCheckpoint() {
  }

  /** Fails, naming {@code out}, unless a checkpoint can be written there. */
  public static void checkTarget(Path out) {
    Path target = out.toAbsolutePath();
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new InputException("--out " + out + " is an existing file; a checkpoint is a"
          + " folder — choose a new name");
    }
    boolean empty;
    try (Stream<Path> s = Files.list(target)) {
      empty = s.findAny().isEmpty();
    } catch (IOException e) {
      throw new InputException("--out " + out + " cannot be read (" + e.getMessage() + ")");
    }
    if (!empty && !isCheckpoint(target)) {
      throw new InputException("--out " + out + " is a folder with other files in it; a"
          + " checkpoint would replace it — choose a new or empty folder");
    }
  }

  public static boolean isCheckpoint(Path dir) {
    try {
      ImageManifest.parse(Files.readString(dir.resolve(MANIFEST)), "manifest");
      return Files.isRegularFile(dir.resolve(PARAMS)) && Files.isRegularFile(dir.resolve(CONFIG));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  public static void write(Path dir, GaussianModel model, ImageManifest manifest)
      throws IOException {
    write(dir, model, null, null, manifest);
  }

  /**
   * Writes a checkpoint: the sampling weights ({@code average}, or {@code model} without one),
   * and with an {@code optimizer} what resuming needs.
   */
  public static void write(Path dir, GaussianModel model, GaussianModel average,
      dev.diffulab.engine.model.AdamW optimizer, ImageManifest manifest) throws IOException {
    checkTarget(dir);
    Path target = dir.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try {
      Files.writeString(tmp.resolve(CONFIG), model.config().toJson());
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp.resolve(PARAMS))))) {
        (average != null ? average : model).save(out);
      }
      if (average != null && optimizer != null) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
            Files.newOutputStream(tmp.resolve(TRAIN_WEIGHTS))))) {
          model.save(out);
        }
      }
      if (optimizer != null) {
        try (var out = new BufferedOutputStream(Files.newOutputStream(tmp.resolve(OPTIMIZER)))) {
          optimizer.state().encode(out);
        }
      }
      Files.writeString(tmp.resolve(MANIFEST), manifest.toJson());
      Path previous = target.resolveSibling("." + target.getFileName() + ".previous");
      boolean had = Files.exists(target);
      if (had) {
        dev.diffulab.core.checkpoint.DemoModels.deleteTree(previous);
        move(target, previous);
      }
      move(tmp, target);
      if (had) {
        // what the person kept in the old folder goes on into the new one
        try (Stream<Path> s = Files.list(previous)) {
          for (Path p : s.toList()) {
            String name = p.getFileName().toString();
            if (!OWN.contains(name) && !Files.exists(target.resolve(name))) {
              move(p, target.resolve(name));
            }
          }
        }
        dev.diffulab.core.checkpoint.DemoModels.deleteTree(previous);
      }
    } finally {
      dev.diffulab.core.checkpoint.DemoModels.deleteTree(tmp);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** A checkpoint's config and manifest, checked before any tensor is made. */
  public record Contents(Path dir, GaussianConfig config, ImageManifest manifest) {
  }

  public static Contents read(Path dir) {
    String other = dev.diffulab.core.checkpoint.Modality.mismatch(dir,
        dev.diffulab.core.checkpoint.Modality.IMAGES);
    if (other != null) {
      throw new InputException(other);
    }
    for (String f : new String[]{CONFIG, PARAMS, MANIFEST}) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new InputException("image checkpoint " + dir + " has no " + f);
      }
    }
    try {
      GaussianConfig config = GaussianConfig.parse(Files.readString(dir.resolve(CONFIG)),
          dir.resolve(CONFIG).toString());
      ImageManifest manifest = ImageManifest.parse(Files.readString(dir.resolve(MANIFEST)),
          dir.resolve(MANIFEST).toString());
      return new Contents(dir, config, manifest);
    } catch (IOException e) {
      throw new InputException("image checkpoint " + dir + " cannot be read ("
          + e.getMessage() + ")");
    }
  }

  /**
   * Loads what a run needs to go on from checkpoint {@code c}: the trained weights into {@code
   * model}, the moving average into {@code average} (if the run keeps one), the moments into
   * {@code optimizer}. Fails, naming the checkpoint, when it holds no training state or another
   * model.
   */
  public static void restore(Contents c, GaussianModel model, GaussianModel average,
      dev.diffulab.engine.model.AdamW optimizer) {
    Path dir = c.dir();
    Integer updates = c.manifest().optimizerUpdates();
    boolean averaged = Files.isRegularFile(dir.resolve(TRAIN_WEIGHTS));
    if (updates == null || !Files.isRegularFile(dir.resolve(OPTIMIZER))
        || averaged != (average != null)) {
      throw new InputException("image checkpoint " + dir + " holds no training state to go on"
          + " from" + (averaged != (average != null) ? " with this train.ema" : "")
          + " (it was written by an older DiffuLab or another run)");
    }
    try {
      loadInto(model, dir.resolve(averaged ? TRAIN_WEIGHTS : PARAMS));
      if (average != null) {
        loadInto(average, dir.resolve(PARAMS));
      }
      try (var in = new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER)))) {
        ai.djl.ndarray.NDList state = ai.djl.ndarray.NDList.decode(model.manager(), in);
        try {
          optimizer.restore(state, updates);
        } finally {
          state.close();
        }
      }
    } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
      throw new InputException("image checkpoint " + dir + ": its training state is damaged or"
          + " does not fit the config (" + e.getMessage() + ")");
    }
  }

  private static void loadInto(GaussianModel model, Path file)
      throws IOException, ai.djl.MalformedModelException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file)))) {
      model.load(in);
    }
  }

  /** The model of a checkpoint, its parameters loaded. */
  public static GaussianModel load(Contents c, NDManager parent) {
    ImageManifest m = c.manifest();
    GaussianModel model = new GaussianModel(c.config(), m.height(), m.width(),
        m.classNames().length, parent);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(c.dir().resolve(PARAMS))))) {
      model.load(in);
      return model;
    } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
      model.close();
      throw new InputException("image checkpoint " + c.dir() + ": " + PARAMS + " is damaged or"
          + " does not fit its config (" + e.getMessage() + ")");
    }
  }
}
