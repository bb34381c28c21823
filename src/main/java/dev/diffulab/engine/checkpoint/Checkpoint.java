package dev.diffulab.engine.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import dev.diffulab.core.InputException;
import dev.diffulab.core.checkpoint.Manifest;
import dev.diffulab.core.config.ConfigException;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.data.CorpusReader;
import dev.diffulab.engine.model.AdamW;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A checkpoint directory: {@code config.json}, {@code tokenizer.json} (copied, so the directory is
 * self-contained), {@code model.params}, {@code optimizer.ndlist} and {@code manifest.json}.
 *
 * <p>Crash-safe: a checkpoint is written into a temporary sibling ({@code .NAME.tmp-…}) whose files
 * and folder are flushed to disk ({@code fsync}) before it is renamed into place. Replacing one
 * moves the old checkpoint aside to {@code .NAME.previous} first and deletes it only once the new
 * one is in place, so at every instant one complete checkpoint exists under one of the two names.
 * The next write or read of {@code NAME} finishes what a killed write left: it brings {@code
 * .NAME.previous} back when {@code NAME} is missing (or drops it when {@code NAME} is there) and
 * removes stale temporary folders. A rename within a folder is atomic, so {@code NAME} is either
 * absent or complete.
 *
 * <p>Never deletes what DiffuLab did not write. Each checkpoint lists the files it wrote in
 * {@code .diffulab-files}; when a checkpoint is replaced, every other entry of the old folder (a
 * person's notes, a subfolder) is moved into the new one before the old one is removed. A folder
 * counts as a checkpoint only when its manifest parses as DiffuLab's and its config and
 * parameters are there — a web app's {@code manifest.json} does not make one.
 */
public final class Checkpoint {
  public static final String CONFIG = "config.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String PARAMS = "model.params";
  public static final String OPTIMIZER = "optimizer.ndlist";
  public static final String MANIFEST = "manifest.json";
  /** The hidden list of the files DiffuLab wrote into a checkpoint, one name a line. */
  static final String WRITTEN = ".diffulab-files";
  /** What a checkpoint written before {@link #WRITTEN} existed can hold of DiffuLab's. */
  private static final java.util.Set<String> WRITTEN_BEFORE_THE_LIST = java.util.Set.of(CONFIG,
      TOKENIZER, PARAMS, OPTIMIZER, MANIFEST, "time_warp.json");

  private Checkpoint() {
  }

  public static void write(Path dir, RunConfig config, TextTokenizer tokenizer,
      DenoiserModel<?> model, AdamW optimizer, Manifest manifest,
      java.util.Map<String, String> extra)
      throws IOException {
    Path target = dir.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    recover(target);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    crashPoint("temporary folder created");
    try {
      Files.writeString(tmp.resolve(CONFIG), config.toJson());
      crashPoint("config written");
      Files.writeString(tmp.resolve(TOKENIZER), tokenizer.json());
      crashPoint("tokenizer written");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp.resolve(PARAMS))))) {
        model.save(out);
      }
      crashPoint("parameters written");
      if (optimizer != null) {
        try (OutputStream out = new BufferedOutputStream(
            Files.newOutputStream(tmp.resolve(OPTIMIZER)))) {
          optimizer.state().encode(out);
        }
        crashPoint("optimiser state written");
      }
      for (var e : extra.entrySet()) {
        Files.writeString(tmp.resolve(e.getKey()), e.getValue());
      }
      Files.writeString(tmp.resolve(MANIFEST), manifest.toJson());
      crashPoint("manifest written");
      listWritten(tmp);
      replace(tmp, target);
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp); // a failed write cleans up; a killed one is cleaned up by the next
      throw e;
    }
  }

  /**
   * Where a test may stop a write as a kill would (by throwing an {@link Error}, which no
   * cleanup catches); does nothing otherwise.
   */
  static volatile java.util.function.Consumer<String> crashPoints = at -> {
  };

  private static void crashPoint(String at) {
    crashPoints.accept(at);
  }

  /** The name an old checkpoint has while its replacement is moved into place. */
  static Path previousOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".previous");
  }

  /**
   * Finishes what a killed write of {@code target} left behind: restores the previous checkpoint
   * when the new one never arrived, drops it when the new one did, removes stale temporary
   * folders. Safe to call at any time; touches only DiffuLab's own hidden siblings.
   */
  public static void recover(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    Path previous = previousOf(abs);
    if (Files.isDirectory(previous)) {
      if (Files.exists(abs)) {
        carryOver(previous, abs);
      } else {
        move(previous, abs);
        fsyncDirectory(parent);
      }
      crashPoint("recovered");
    }
    String stale = "." + abs.getFileName() + ".tmp-";
    try (Stream<Path> s = Files.list(parent)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(stale)).toList()) {
        deleteTree(p);
      }
    }
  }

  /**
   * Writes a copy of a checkpoint for sharing: its parameters, tokenizer, manifest and method
   * files (the time warp), with {@code config} as its config (the same run; only the sampler
   * defaults may differ), and no optimiser state — it can be sampled, evaluated and shown, not
   * resumed. An existing {@code out} is replaced only if it is a DiffuLab checkpoint.
   */
  public static void export(Contents from, RunConfig config, Path out) throws IOException {
    export(from, config, out, null);
  }

  /**
   * As above, with {@code params} (when not null) written as the copy's parameters in place of
   * the checkpoint's own: the same weights stored another way ({@code export --half}).
   */
  public static void export(Contents from, RunConfig config, Path out, byte[] params)
      throws IOException {
    Path target = out.toAbsolutePath();
    if (Files.exists(target) && !isCheckpoint(target) && !isEmptyFolder(target)) {
      throw new InputException("--out " + out + " exists and is not a DiffuLab checkpoint;"
          + " choose a new folder");
    }
    if (target.equals(from.dir().toAbsolutePath())) {
      throw new InputException("--out " + out + " is the checkpoint being exported");
    }
    Files.createDirectories(target.getParent());
    recover(target);
    Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
    try {
      Files.writeString(tmp.resolve(CONFIG), config.toJson());
      // what evaluate recorded measured other sampler settings: the copy starts unmeasured
      Files.writeString(tmp.resolve(MANIFEST),
          from.manifest().withEvaluation(java.util.Map.of(), null).toJson());
      // the parameters, the tokenizer and whatever the method keeps beside them (CDCD's
      // time warp); never the optimiser state
      try (var files = Files.list(from.dir())) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String name = f.getFileName().toString();
          if (!name.equals(OPTIMIZER) && !name.equals(CONFIG) && !name.equals(MANIFEST)
              && !name.startsWith(".") && written(from.dir()).contains(name)
              && !(params != null && name.equals(PARAMS))) {
            Files.copy(f, tmp.resolve(name));
          }
        }
      }
      if (params != null) {
        Files.write(tmp.resolve(PARAMS), params);
      }
      listWritten(tmp);
      replace(tmp, target);
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  /**
   * Checks, before any training, that a checkpoint can be written to {@code out}: it is new, an
   * empty folder, or an earlier DiffuLab checkpoint (which it will replace, keeping any other
   * files a person put in it), never a file or a folder of anything else; and its folder is
   * writable. Fails with one line naming the path.
   */
  public static void checkTarget(Path out) {
    checkTarget(out, "--out");
  }

  /** As {@link #checkTarget(Path)}, the messages naming the option {@code option}. */
  public static void checkTarget(Path out, String option) {
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      if (!Files.isDirectory(target)) {
        throw new InputException(option + " " + out + " is an existing file; a checkpoint is a"
            + " folder — choose a new name");
      }
      boolean empty;
      try {
        empty = isEmptyFolder(target);
      } catch (InputException e) {
        throw new InputException(option + " " + out + " cannot be read (" + e.getMessage()
            + ")");
      }
      if (!empty && !isCheckpoint(target)) {
        throw new InputException(option + " " + out + " is a folder with other files in it"
            + (Files.exists(target.resolve(MANIFEST))
                ? " (its " + MANIFEST + " is not a"
                    + " DiffuLab manifest)"
                : "")
            + "; a checkpoint would replace it — choose a new"
            + " or empty folder");
      }
    }
    Path parent = target.getParent();
    if (parent == null) {
      throw new InputException(option + " " + out + " is a file system root; choose a folder");
    }
    try {
      Files.createDirectories(parent);
      Path probe = Files.createTempFile(parent, "." + target.getFileName() + ".probe-", "");
      Files.delete(probe);
    } catch (IOException e) {
      throw new InputException(option + " " + out + ": cannot write in " + parent + " ("
          + e.getMessage() + ")");
    }
  }

  /**
   * Whether {@code dir} is a DiffuLab checkpoint: its manifest parses as DiffuLab's and its
   * config and parameters are there. One file's name is not enough.
   */
  public static boolean isCheckpoint(Path dir) {
    if (!Files.isRegularFile(dir.resolve(CONFIG)) || !Files.isRegularFile(dir.resolve(PARAMS))
        || !Files.isRegularFile(dir.resolve(MANIFEST))) {
      return false;
    }
    try {
      Manifest.parse(Files.readString(dir.resolve(MANIFEST)), "manifest");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isEmptyFolder(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new InputException(e.getMessage());
    }
  }

  /** Records, in the finished temporary folder, every file DiffuLab wrote into it. */
  private static void listWritten(Path tmp) throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      Files.writeString(tmp.resolve(WRITTEN), String.join("\n", s.map(p -> p.getFileName()
          .toString()).filter(n -> !n.equals(WRITTEN)).sorted().toList()) + "\n");
    }
  }

  /** The names DiffuLab wrote into checkpoint {@code dir} (its list, or the older fixed set). */
  static java.util.Set<String> written(Path dir) {
    Path list = dir.resolve(WRITTEN);
    if (!Files.isRegularFile(list)) {
      return WRITTEN_BEFORE_THE_LIST;
    }
    try {
      java.util.Set<String> names = new java.util.HashSet<>();
      for (String line : Files.readAllLines(list)) {
        if (!line.isBlank() && !line.contains("/") && !line.contains("\\")) {
          names.add(line.strip());
        }
      }
      names.add(WRITTEN);
      return names;
    } catch (IOException e) {
      return WRITTEN_BEFORE_THE_LIST;
    }
  }

  /**
   * Moves every entry of the replaced checkpoint {@code previous} that DiffuLab did not write
   * (and the new one does not hold) into the new checkpoint {@code target}, then removes what is
   * left of {@code previous} — DiffuLab's own superseded files only. A crash part-way leaves the
   * rest in {@code previous} for {@link #recover} to finish.
   */
  private static void carryOver(Path previous, Path target) throws IOException {
    java.util.Set<String> own = written(previous);
    try (Stream<Path> s = Files.list(previous)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (!own.contains(name) && !Files.exists(target.resolve(name),
            java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          move(p, target.resolve(name));
        }
      }
    }
    fsyncDirectory(target);
    crashPoint("other files carried over");
    try (Stream<Path> s = Files.list(previous)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (!own.contains(name)) {
          // the new checkpoint holds an entry of this name that DiffuLab wrote; keep the
          // person's under the old folder rather than lose it
          return;
        }
      }
    }
    deleteTree(previous);
  }

  /** Replaces a checkpoint's manifest (write a sibling, then rename over the old one). */
  public static void rewriteManifest(Path dir, Manifest manifest) throws IOException {
    Path tmp = Files.createTempFile(dir, "." + MANIFEST, ".tmp");
    try {
      Files.writeString(tmp, manifest.toJson());
      try (var ch = java.nio.channels.FileChannel.open(tmp,
          java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Moves the finished temporary directory into place: its files and folder flushed to disk, an
   * older checkpoint moved aside to {@code .NAME.previous}, the new one renamed in, the old one
   * deleted — one complete checkpoint exists at every instant.
   */
  private static void replace(Path tmp, Path target) throws IOException {
    fsyncTree(tmp);
    crashPoint("flushed");
    Path parent = target.getParent();
    Path previous = previousOf(target);
    boolean hadOne = Files.exists(target);
    if (hadOne) {
      if (Files.exists(previous)) {
        // left by an earlier replacement that completed: what DiffuLab did not write goes on
        carryOver(previous, target);
      }
      if (Files.exists(previous)) {
        throw new IOException(previous + " holds files DiffuLab did not write under names the"
            + " checkpoint uses; move them out of it, then save again");
      }
      move(target, previous);
      fsyncDirectory(parent);
      crashPoint("old checkpoint moved aside");
    }
    try {
      move(tmp, target);
    } catch (IOException e) {
      if (hadOne) {
        move(previous, target);
      }
      throw e;
    }
    fsyncDirectory(parent);
    crashPoint("new checkpoint in place");
    if (hadOne) {
      carryOver(previous, target);
    }
    crashPoint("old checkpoint deleted");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Flushes every file of a folder and the folder itself to disk. */
  private static void fsyncTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        try (var ch = java.nio.channels.FileChannel.open(f,
            java.nio.file.StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
    }
    fsyncDirectory(dir);
  }

  /** Flushes a folder's entries (a rename in it) to disk where the platform allows it. */
  private static void fsyncDirectory(Path dir) {
    try (var ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms (Windows) cannot open a folder for syncing; the renames still happened
    }
  }

  /** What a checkpoint directory holds, checked before any tensor is touched. */
  public record Contents(Path dir, RunConfig config, String tokenizerJson, Manifest manifest) {
  }

  public static Contents read(Path dir) {
    try {
      recover(dir);
    } catch (IOException e) {
      // reading goes on with what is there; the message below names what is missing
    }
    if (!Files.isDirectory(dir)) {
      throw new InputException("checkpoint " + dir + " is not a directory");
    }
    String other = dev.diffulab.core.checkpoint.Modality.mismatch(dir,
        dev.diffulab.core.checkpoint.Modality.TOKENS);
    if (other != null) {
      throw new InputException(other);
    }
    for (String f : new String[]{CONFIG, TOKENIZER, PARAMS, MANIFEST}) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new InputException("checkpoint " + dir + " has no " + f);
      }
    }
    RunConfig config;
    try {
      config = RunConfig.load(dir.resolve(CONFIG));
    } catch (ConfigException e) {
      throw new InputException("checkpoint " + dir + ": " + e.getMessage());
    }
    String tokenizer = CorpusReader.readUtf8(dir.resolve(TOKENIZER), "tokenizer file");
    Manifest manifest = Manifest.parse(CorpusReader.readUtf8(dir.resolve(MANIFEST), "manifest"),
        "manifest " + dir.resolve(MANIFEST));
    return new Contents(dir, config, tokenizer, manifest);
  }

  public static void loadParameters(Contents c, DenoiserModel<?> model) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(c.dir().resolve(PARAMS))))) {
      model.load(in);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new InputException("checkpoint " + c.dir() + ": " + PARAMS
          + " is damaged or does not fit its config (" + e.getMessage() + ")");
    } catch (OutOfMemoryError e) {
      // a damaged length field asks for an array larger than the heap: the allocation fails
      // before anything is read, so nothing else is harmed
      throw new InputException("checkpoint " + c.dir() + ": " + PARAMS + " is damaged (it"
          + " declares an array larger than the memory)");
    }
  }

  /** Fails, naming the checkpoint, when it has no optimiser state to resume from. */
  public static void requireOptimizer(Contents c) {
    if (!Files.isRegularFile(c.dir().resolve(OPTIMIZER))) {
      throw new InputException("checkpoint " + c.dir() + " has no " + OPTIMIZER + ": it can be"
          + " sampled and evaluated but not resumed (shipped and exported models leave the"
          + " optimiser state out); train a new run from its config instead");
    }
  }

  /**
   * Fails, naming the checkpoint, unless it can be resumed: it keeps its optimiser state, and
   * its manifest agrees with its own config — the run's length, a step that its optimiser
   * updates account for, the same method. An edited manifest is refused rather than
   * resumed at a learning rate of 0 into a step past the end.
   */
  public static void checkResumable(Contents c) {
    requireOptimizer(c);
    RunConfig config = c.config();
    var m = c.manifest();
    String where = "checkpoint " + c.dir() + ": " + MANIFEST;
    if (m.totalSteps() != config.train().steps()) {
      throw new InputException(where + " says the run has " + m.totalSteps() + " steps but its"
          + " config trains " + config.train().steps() + "; the manifest was edited or belongs"
          + " to another run");
    }
    // every step is one optimiser update unless a non-finite gradient skipped it, which is rare
    // (a run stops after 20 in a row): a step far beyond the updates was not trained. A family
    // that trains in stages counts the updates of its current stage's optimiser only.
    int stageSteps = m.step() - config.method().optimizerStart(config, m.step());
    int missing = stageSteps - m.optimizerUpdates();
    if (missing < 0 || missing > Math.max(20, stageSteps / 10)) {
      throw new InputException(where + " says step " + m.step() + " of " + m.totalSteps()
          + " after " + m.optimizerUpdates() + " optimiser updates; the manifest was edited or"
          + " belongs to another run");
    }
    if (!config.method().id().equals(m.method())) {
      throw new InputException(where + " says method " + m.method()
          + " but its config says " + config.method().id());
    }
  }

  public static void loadOptimizer(Contents c, AdamW optimizer) {
    requireOptimizer(c);
    Path f = c.dir().resolve(OPTIMIZER);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(f))) {
      NDList state = NDList.decode(optimizer.state().get(0).getManager(), in);
      optimizer.restore(state, c.manifest().optimizerUpdates());
      state.close();
    } catch (IOException | RuntimeException e) {
      throw new InputException("checkpoint " + c.dir() + ": " + OPTIMIZER + " is damaged ("
          + e.getMessage() + ")");
    } catch (OutOfMemoryError e) {
      throw new InputException("checkpoint " + c.dir() + ": " + OPTIMIZER + " is damaged (it"
          + " declares an array larger than the memory)");
    }
  }

  static void deleteTree(Path p) throws IOException {
    dev.diffulab.core.checkpoint.DemoModels.deleteTree(p);
  }
}
