package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.ImageRunResult;
import dev.diffulab.core.gaussian.ImageSamples;
import dev.diffulab.core.image.IdxFiles;
import dev.diffulab.core.image.ImageGrid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Gaussian diffusion on pictures (DDPM training, DDIM / DDPM sampling with classifier-free
 * guidance) from the command line: train, draw a PNG grid, evaluate with the classifier.
 */
@Command(name = "images", mixinStandardHelpOptions = true, description = "Gaussian diffusion"
    + " (DDPM/DDIM) on pictures: train, generate a grid, evaluate.", subcommands = {
        ImagesCommand.Train.class, ImagesCommand.Generate.class, ImagesCommand.Evaluate.class})
final class ImagesCommand {

  /** The sampler options shared by generate and evaluate. */
  static final class SamplerArgs {
    @Option(names = "--steps", description = "Sampling steps (DDIM; T with --eta 1 is DDPM).")
    Integer steps;
    @Option(names = "--eta", description = "DDIM noise η in [0, 1] (0: deterministic).")
    Double eta;
    @Option(names = "--guidance", description = "Classifier-free guidance w (0: unconditional,"
        + " 1: conditional, above 1: guided).")
    Double guidance;
    @Option(names = "--guidance-interval", paramLabel = "FROM,TO", description = "Guide only the steps whose t/T lies in [FROM, TO], 0 <= FROM < TO <= 1"
        + " (the other steps run the conditional model alone, one pass instead of two;"
        + " default: the config's sampler.guidance_interval, else every step).")
    String guidanceInterval;
    @Option(names = "--num-samples", description = "How many pictures.")
    Integer numSamples;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the noise (default:"
        + " ${DEFAULT-VALUE}).")
    long seed;

    GaussianConfig.Sampler apply(GaussianConfig.Sampler s) {
      GaussianConfig.Sampler out = new GaussianConfig.Sampler(steps != null ? steps : s.steps(),
          eta != null ? eta : s.eta(), guidance != null ? guidance : s.guidance(),
          numSamples != null ? numSamples : s.numSamples(),
          guidanceInterval != null ? interval(guidanceInterval) : s.guidanceInterval());
      GaussianConfig.checkGuidanceInterval("--guidance-interval", out.guidanceInterval());
      if (out.steps() < 1 || out.steps() > 10_000) {
        throw new InputException("--steps must be between 1 and 10000, not " + out.steps());
      }
      SamplerConfig.ETA.check("--eta", out.eta());
      SamplerConfig.GUIDANCE.check("--guidance", out.guidance());
      if (out.numSamples() < 1 || out.numSamples() > 10_000) {
        throw new InputException("--num-samples must be between 1 and 10000, not "
            + out.numSamples());
      }
      return out;
    }

    private static java.util.List<Double> interval(String text) {
      String[] parts = text.split(",", -1);
      java.util.List<Double> out = new java.util.ArrayList<>();
      for (String p : parts) {
        try {
          out.add(Double.parseDouble(p.strip()));
        } catch (NumberFormatException e) {
          throw new InputException("--guidance-interval must be two numbers FROM,TO, got '"
              + text + "'");
        }
      }
      return out;
    }
  }

  private static GaussianConfig checkpointConfig(Path dir) {
    Path f = dir.resolve("image-config.json");
    if (!Files.isRegularFile(f)) {
      throw new InputException("image checkpoint " + dir + " has no image-config.json");
    }
    return GaussianConfig.load(f);
  }

  @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a Gaussian"
      + " diffusion model on pictures; prints the loss and the loss by t.")
  static final class Train implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--config", description = "Image config (JSON), or a shipped one:"
        + " quick-test-images, quick-test-dit-images, demo-images. Not with --resume (the"
        + " checkpoint's config is used).")
    Path config;
    @Option(names = "--out", description = "Checkpoint folder (default: runs/<config name>;"
        + " with --resume, the checkpoint itself).")
    Path out;
    @Option(names = "--resume", description = "Go on from this image checkpoint (written with"
        + " train.checkpoint_every or at a run's end): the same steps the uninterrupted run"
        + " would take.")
    Path resume;
    @Option(names = "--steps", description = "Train this many steps in all (overrides the"
        + " config; with --resume, a new end: the learning-rate decay is stretched to it).")
    Integer steps;
    @Option(names = "--data", description = "Where the pictures are: FashionMNIST's IDX folder"
        + " or, for data.source folder, the image folder (overrides the config).")
    Path data;
    @Option(names = "--previews", defaultValue = "0", description = "Every this many steps (and"
        + " at the start and end), sample 64 pictures of the current model and print the share"
        + " the classifier recognises and their Fréchet distance (0: none; default:"
        + " ${DEFAULT-VALUE}).")
    int previews;

    @Override
    public Integer call() throws Exception {
      if (previews < 0) {
        throw new InputException("--previews must be 0 or more, not " + previews);
      }
      if ((config == null) == (resume == null)) {
        throw new InputException("images train needs --config FILE or --resume DIR (one of"
            + " them)");
      }
      GaussianConfig c = resume != null
          ? checkpointConfig(resume)
          : GaussianConfig.loadOrShipped(config);
      if (steps != null) {
        if (steps < 1 || steps > 10_000_000) {
          throw new InputException("--steps must be between 1 and 10000000, not " + steps);
        }
        c = c.withSteps(steps);
      }
      Path dir = out != null ? out : resume != null ? resume : Path.of("runs", c.name());
      var w = spec.commandLine().getOut();
      GaussianConfig run = c;
      ImageRunResult r = EngineRunner.run(DeviceChoice.AUTO, s -> {
      }, lab -> lab.trainImages(new dev.diffulab.engine.LabService.ImageTrainRequest(run, data,
          dir, resume, line -> {
            w.println(line);
            w.flush();
          }, p -> {
          }, p -> {
            StringBuilder line = new StringBuilder("preview at step " + p.step() + ":");
            p.recognisable().ifPresent(x -> line.append(String.format(" recognisable %.3f",
                x)));
            p.frechet().ifPresent(x -> line.append(String.format(", Fréchet %.2f", x)));
            p.frechetFloor().ifPresent(x -> line.append(String.format(" (real floor %.2f)",
                x)));
            if (p.recognisable().isEmpty()) {
              line.append(" (no classifier knows these pictures)");
            }
            w.println(line);
            w.flush();
          }, previews)));
      w.printf("final_loss = %.4f%ntrain_seconds = %.1f%n", r.finalLoss(), r.seconds());
      return r.stopped() ? DiffuLabCli.INTERRUPTED : DiffuLabCli.OK;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true, description = "Draw pictures"
      + " from an image checkpoint into a PNG grid.")
  static final class Generate implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--checkpoint", required = true, description = "Image checkpoint folder.")
    Path checkpoint;
    @Option(names = "--grid", required = true, description = "PNG file to write.")
    Path grid;
    @Option(names = "--class", description = "Ask every picture for this class (name or"
        + " number); 'each' cycles through the classes; leave out for unconditional.")
    String klass;
    @Option(names = "--overwrite", description = "Replace an existing --grid file.")
    boolean overwrite;
    @picocli.CommandLine.ArgGroup(exclusive = false)
    SamplerArgs sampler = new SamplerArgs();

    @Override
    public Integer call() throws Exception {
      if (Files.exists(grid) && !overwrite) {
        throw new InputException("--grid " + grid + " exists; add --overwrite to replace it");
      }
      GaussianConfig c = checkpointConfig(checkpoint);
      GaussianConfig.Sampler s = sampler.apply(c.sampler());
      String[] names = dev.diffulab.core.gaussian.ImageManifest.parse(Files.readString(
          checkpoint.resolve("image-manifest.json")), checkpoint + "/image-manifest.json")
          .classNames();
      int[] classes = classes(klass, names, s.numSamples(), c.model().classConditional());
      long began = System.nanoTime();
      ImageSamples out = EngineRunner.run(DeviceChoice.AUTO, x -> {
      }, lab -> lab.generateImages(checkpoint, s, classes, sampler.seed, false));
      double seconds = (System.nanoTime() - began) / 1e9;
      int cols = (int) Math.ceil(Math.sqrt(out.images().length));
      ImageGrid.write(grid, out.images(), out.height(), out.width(), cols, 3);
      spec.commandLine().getOut().printf("%d pictures, DDIM %d steps (η %.2f, guidance %.2f%s),"
          + " %.1f s; written to %s%n", out.images().length, s.steps(), s.eta(), s.guidance(),
          s.guidanceLimited()
              ? String.format(" for t/T in [%.2f, %.2f]", s.guidanceFrom(),
                  s.guidanceTo())
              : "",
          seconds, grid);
      return DiffuLabCli.OK;
    }
  }

  static int[] classes(String klass, String[] names, int n, boolean conditional) {
    if (klass == null) {
      return null;
    }
    if (!conditional) {
      throw new InputException("--class needs a class-conditional model; this one is not");
    }
    int[] out = new int[n];
    if (klass.equals("each")) {
      for (int i = 0; i < n; i++) {
        out[i] = i % names.length;
      }
      return out;
    }
    int k = -1;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(klass)) {
        k = i;
      }
    }
    if (k < 0) {
      try {
        k = Integer.parseInt(klass);
      } catch (NumberFormatException e) {
        k = -1;
      }
    }
    if (k < 0 || k >= names.length) {
      throw new InputException("--class " + klass + " is not one of " + String.join(", ",
          names) + " (or 0–" + (names.length - 1) + ", or each)");
    }
    java.util.Arrays.fill(out, k);
    return out;
  }

  @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Sample an image"
      + " checkpoint and judge the pictures with the classifier: recognisable fraction, class"
      + " spread, asked-class accuracy, Fréchet distance (with the real floor), copies.")
  static final class Evaluate implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--checkpoint", required = true, description = "Image checkpoint folder.")
    Path checkpoint;
    @Option(names = "--unconditional", description = "Sample without asking for classes.")
    boolean unconditional;
    @Option(names = "--no-bound", description = "Leave out the variational bound (it measures"
        + " the model, not the sampler; on a CPU it takes longer than a small sample).")
    boolean noBound;
    @Option(names = "--classifier", description = "Classifier folder (default: the shipped"
        + " one).")
    Path classifier;
    @Option(names = "--data", description = "FashionMNIST's IDX files (default: Debian's"
        + " dataset-fashion-mnist folder, else the subset shipped with DiffuLab).")
    Path data;
    @picocli.CommandLine.ArgGroup(exclusive = false)
    SamplerArgs sampler = new SamplerArgs();

    @Override
    public Integer call() throws Exception {
      GaussianConfig c = checkpointConfig(checkpoint);
      GaussianConfig.Sampler s = sampler.apply(c.sampler());
      if (data != null && !IdxFiles.present(data)) {
        IdxFiles.split(data, false); // names what is missing
      }
      Map<String, Object> report = EngineRunner.run(DeviceChoice.AUTO, x -> {
      }, lab -> lab.evaluateImages(checkpoint, s, !unconditional, sampler.seed, classifier,
          data, !noBound));
      var w = spec.commandLine().getOut();
      for (var e : report.entrySet()) {
        Object v = e.getValue();
        String text = v instanceof double[] d
            ? java.util.Arrays.toString(java.util.Arrays
                .stream(d).map(x -> Math.round(x * 1000) / 1000.0).toArray())
            : v instanceof Double d ? String.format("%.4f", d) : String.valueOf(v);
        w.println(e.getKey() + " = " + text);
      }
      return DiffuLabCli.OK;
    }
  }
}
