package dev.diffulab.engine.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.diffulab.core.checkpoint.Manifest;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.engine.checkpoint.Checkpoint;
import dev.diffulab.engine.data.LoadedCorpus;
import dev.diffulab.engine.method.Family;
import dev.diffulab.engine.model.DenoiserModel;
import dev.diffulab.engine.text.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's checkpoint with its manifest (provenance: config, seed, data hash, versions,
 * device, training time, metrics), and when the run's own folder cannot take the final one,
 * finds another place so that hours of training are never lost to a full or read-only disk.
 */
final class CheckpointSaver {
  private final Path out;
  private final Device device;
  private final double trainSeconds;

  private final java.util.function.Function<String, Path> ask;

  /**
   * @param ask asks the person for a folder when nowhere else could take the final checkpoint
   *     (null answer: give up); null when there is nobody to ask
   */
  CheckpointSaver(Path out, Device device, double trainSeconds,
      java.util.function.Function<String, Path> ask) {
    this.out = out;
    this.device = device;
    this.trainSeconds = trainSeconds;
    this.ask = ask;
  }

  Path save(Path out, RunConfig config, TextTokenizer tok, LoadedCorpus corpus,
      int[] lengths, DenoiserModel<?> model, Family family, int step, Map<String, Double> metrics)
      throws IOException {
    if (out == null) {
      return null;
    }
    Checkpoint.write(out, config, tok, model, family.optimizer(), manifest(config, tok,
        corpus, lengths, model, family.optimizer().updates(), step, metrics),
        family.checkpointFiles());
    return out;
  }

  /**
   * Where a final checkpoint goes when its own folder cannot take it: beside it
   * ({@code NAME-rescued}), then {@code ~/.diffulab/rescued} (or {@code diffulab.rescueDir}),
   * then the temporary folder, then a folder the person chooses (the window asks). Fails,
   * naming every place tried, only when none can.
   */
  Path rescue(IOException first, RunConfig config, TextTokenizer tok,
      LoadedCorpus corpus, int[] lengths, DenoiserModel<?> model, Family family, int step,
      Map<String, Double> metrics) throws IOException {
    Path out = this.out.toAbsolutePath();
    String name = out.getFileName() + "-rescued";
    List<Path> places = new ArrayList<>();
    if (out.getParent() != null) {
      places.add(freeName(out.getParent(), name));
    }
    String home = System.getProperty("diffulab.rescueDir");
    places.add(freeName(home != null
        ? Path.of(home)
        : Path.of(System.getProperty("user.home"), ".diffulab", "rescued"), name));
    places.add(freeName(Path.of(System.getProperty("java.io.tmpdir")), "diffulab-" + name));
    StringBuilder tried = new StringBuilder(out + " (" + first.getMessage() + ")");
    for (Path p : places) {
      try {
        Files.createDirectories(p.getParent());
        return save(p, config, tok, corpus, lengths, model, family, step, metrics);
      } catch (IOException | RuntimeException e) {
        tried.append("; ").append(p).append(" (").append(e.getMessage()).append(')');
      }
    }
    // the last resort: ask the person (the window's save dialog); the command line cannot
    for (int attempt = 0; attempt < 5 && ask != null; attempt++) {
      Path chosen = ask.apply("The trained model could not be saved: " + tried);
      if (chosen == null) {
        break;
      }
      Path p = freeName(chosen, name);
      try {
        return save(p, config, tok, corpus, lengths, model, family, step, metrics);
      } catch (IOException | RuntimeException e) {
        tried.append("; ").append(p).append(" (").append(e.getMessage()).append(')');
      }
    }
    throw new IOException("the trained model could not be saved anywhere: " + tried);
  }

  private static Path freeName(Path dir, String name) {
    Path p = dir.resolve(name);
    for (int i = 2; Files.exists(p); i++) {
      p = dir.resolve(name + "-" + i);
    }
    return p;
  }

  Manifest manifest(RunConfig config, TextTokenizer tok, LoadedCorpus corpus,
      int[] lengths, DenoiserModel<?> model, int updates, int step, Map<String, Double> metrics) {
    Engine e = Engine.getEngine("PyTorch");
    return new Manifest(Manifest.FORMAT, config.method().id(), config.name(), step,
        config.train().steps(), config.seed(), corpus.dataHash(), corpus.name(), tok.source(),
        TrainingRun.version(), Engine.getDjlVersion(), e.getEngineName() + " " + e.getVersion(),
        System.getProperty("java.version"), model.device().toString(), Instant.now().toString(),
        model.parameterCount(), updates, lengths.clone(), metrics,
        trainSeconds, hardware(), Map.of(), null);
  }

  /** What the run trains on, as a person says it: "2-core CPU" or the GPU's name. */
  private String hardware() {
    return dev.diffulab.engine.runtime.Hardware.of(device);
  }

}
