package dev.diffulab.cli;

import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.image.ClassifierManifest;
import dev.diffulab.core.image.IdxFiles;
import dev.diffulab.engine.LabService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The image families' measuring instrument: train the FashionMNIST classifier that {@code
 * evaluate} judges image samples with, or measure one on the test split.
 */
@Command(name = "classifier", mixinStandardHelpOptions = true, description = "Train or"
    + " measure the image classifier that judges image samples.", subcommands = {
        ClassifierCommand.Train.class, ClassifierCommand.Evaluate.class})
final class ClassifierCommand {

  @Command(name = "train", mixinStandardHelpOptions = true, description = "Train the"
      + " classifier on FashionMNIST's training split; prints each epoch and the test"
      + " accuracy.")
  static final class Train implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--data", description = "Folder with FashionMNIST's IDX files (default:"
        + " Debian's dataset-fashion-mnist folder, else the subset shipped with DiffuLab).")
    Path data;
    @Option(names = "--out", required = true, description = "Folder to write (new, empty, or a"
        + " classifier to replace).")
    Path out;
    @Option(names = "--epochs", defaultValue = "12", description = "Passes over the training"
        + " split (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "128", description = "Pictures per step"
        + " (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--learning-rate", defaultValue = "0.002", description = "Peak learning"
        + " rate (default: ${DEFAULT-VALUE}).")
    double learningRate;
    @Option(names = "--seed", defaultValue = "7", description = "Seed (default:"
        + " ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--limit", defaultValue = "0", description = "Train on the first N"
        + " pictures only (0: all).")
    int limit;

    @Override
    public Integer call() throws Exception {
      if (epochs < 1 || epochs > 1000 || batchSize < 1 || batchSize > 65_536 || limit < 0
          || !(learningRate > 0) || !Double.isFinite(learningRate)) {
        throw new dev.diffulab.core.InputException("--epochs must be 1–1000, --batch-size"
            + " 1–65536, --limit ≥ 0 and --learning-rate a positive number");
      }
      var out1 = spec.commandLine().getOut();
      ClassifierManifest m = EngineRunner.run(DeviceChoice.AUTO, s -> {
      }, lab -> lab.trainClassifier(new LabService.ClassifierRequest(data, out, epochs,
          batchSize, learningRate, 0.01, seed, limit), line -> {
            out1.println(line);
            out1.flush();
          }));
      out1.printf("test accuracy %.4f, ≥ 0.9 sure of %.4f of the test pictures, %.0f s;"
          + " written to %s%n", m.testAccuracy(), m.recognisableReal(), m.trainSeconds(), out);
      return DiffuLabCli.OK;
    }
  }

  @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Measure a"
      + " classifier (default: the shipped one) on FashionMNIST's test split.")
  static final class Evaluate implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--data", description = "Folder with FashionMNIST's IDX files (default:"
        + " Debian's dataset-fashion-mnist folder, else the subset shipped with DiffuLab).")
    Path data;
    @Option(names = "--classifier", description = "Classifier folder (default: the shipped"
        + " one).")
    Path classifier;

    @Override
    public Integer call() throws Exception {
      if (data != null && !IdxFiles.present(data)) {
        IdxFiles.split(data, false); // says what is missing
      }
      double[] r = EngineRunner.run(DeviceChoice.AUTO, s -> {
      }, lab -> lab.evaluateClassifier(classifier, data));
      spec.commandLine().getOut().printf("accuracy %.4f%nsure (top probability ≥ 0.9)"
          + " %.4f%n", r[0], r[1]);
      return DiffuLabCli.OK;
    }
  }
}
