package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.checkpoint.CheckpointInfo;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.core.snapshot.SamplePreview;
import dev.diffulab.core.snapshot.Snapshot;
import dev.diffulab.core.snapshot.TrainProgress;
import dev.diffulab.engine.LabService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model from a config; prints progress at least every"
    + " 10 s and writes a checkpoint directory.")
final class TrainCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--config", description = "Run config (JSON), or the name of a shipped one"
      + " (a file of sample-configs/ without .json: quick-test, demo, full, quick-test-cdcd,"
      + " quick-test-latent, demo-summaries-latent, …). Optional with --resume.")
  Path config;
  @Option(names = "--steps", description = "Train to this many steps (overrides the config; with"
      + " --resume: where to stop, the original learning-rate schedule kept).")
  Integer steps;
  @Option(names = "--out", description = "Checkpoint directory (default: runs/<config name>).")
  Path out;
  @Option(names = "--corpus", description = "Corpus file (overrides the config).")
  Path corpus;
  @Option(names = "--tokenizer", description = "tokenizer.json (overrides the config).")
  Path tokenizer;
  @Option(names = "--device", description = "auto, cpu or gpu (overrides the config).")
  String device;
  @Option(names = "--resume", description = "Continue from this checkpoint directory.")
  Path resume;

  @Override
  public Integer call() throws Exception {
    if (config == null && resume == null) {
      throw new InputException("train needs --config FILE or --resume DIR");
    }
    resume = dev.diffulab.core.checkpoint.DemoModels.resolve(resume);
    // checked before the corpus is read, not after
    CheckpointInfo from = resume != null ? LabService.readResumable(resume) : null;
    RunConfig c = config != null ? RunConfig.loadOrShipped(config) : from.config();
    int stopAt = 0;
    if (from != null) {
      stopAt = resumeStop(from, c);
      c = from.config();
    } else if (steps != null) {
      c = c.withTrain(c.train().withSteps(steps));
    }
    if (from == null && corpus != null) {
      c = c.withData(c.data().withCorpus(corpus.toString()));
    }
    if (from == null && tokenizer != null) {
      c = c.withData(c.data().withTokenizer(tokenizer.toString()));
    }
    if (device != null) {
      c = c.withDevice(ConfigName.parse(DeviceChoice.class, "--device", device));
    }
    Path target = out != null ? out : resume != null ? resume : Path.of("runs", c.name());
    PrintWriter w = spec.commandLine().getOut();
    Reporter reporter = new Reporter(w, c.method().noisesWholeText()
        ? "noise level"
        : "mask ratio");
    RunConfig run = c;
    int stop = stopAt;
    dev.diffulab.core.snapshot.RunResult r = EngineRunner.run(c.device(), reporter,
        lab -> lab.train(new LabService.TrainRequest(run.name(), run, target, resume, stop)));
    if (!r.note().isEmpty()) {
      spec.commandLine().getErr().println("diffulab: " + r.note());
    }
    w.printf("%s at step %d; checkpoint: %s%n", r.state().name().toLowerCase(), r.step(),
        r.checkpoint());
    r.metrics().forEach((k, v) -> w.printf("  %s = %.4f%n", k, v));
    w.flush();
    return DiffuLabCli.OK;
  }

  /**
   * Where a resumed run stops, after checking that what was given agrees with the checkpoint:
   * the run keeps the original config and learning-rate schedule, so a --config or --corpus
   * that says otherwise is refused, naming the key, and --steps must lie beyond the checkpoint.
   */
  private int resumeStop(CheckpointInfo from, RunConfig given) {
    int at = from.manifest().step();
    if (config != null) {
      var diff = from.config().firstDifference(given, java.util.Set.of("name", "train.steps",
          "device"));
      if (diff.isPresent()) {
        throw new InputException("--config " + config + " disagrees with the checkpoint "
            + resume + " at key '" + diff.get() + "': a resumed run keeps the checkpoint's"
            + " config; leave out --config, or train afresh");
      }
    }
    if (corpus != null && !sameFile(corpus, from.config().data().corpus())) {
      throw new InputException("--corpus " + corpus + " is not the checkpoint's corpus ("
          + from.config().data().corpus() + "); a resumed run keeps its data");
    }
    if (tokenizer != null && !sameFile(tokenizer, from.config().data().tokenizer())) {
      throw new InputException("--tokenizer " + tokenizer + " is not the checkpoint's ("
          + from.config().data().tokenizer() + "); a resumed run keeps its tokenizer");
    }
    int total = from.config().train().steps();
    if (steps != null && steps <= at) {
      throw new InputException("--steps " + steps + " is not beyond the checkpoint's step " + at
          + " (" + resume + ")");
    }
    if (steps == null && at >= total) {
      throw new InputException("the checkpoint " + resume + " is at its last step (" + at
          + " of " + total + "); give --steps beyond " + at + " to train on");
    }
    return steps != null ? steps : total;
  }

  private static boolean sameFile(Path given, String recorded) {
    return given.toString().equals(recorded) || given.toAbsolutePath().normalize().equals(
        Path.of(recorded).toAbsolutePath().normalize());
  }

  /** Prints a progress line at least every 10 s, and every evaluation and preview. */
  static final class Reporter implements java.util.function.Consumer<Snapshot> {
    private final PrintWriter w;
    private long lastLine;
    private long lastLevels;
    private final String levels;

    /** @param levels what the loss-by-level line's levels are ("mask ratio") */
    Reporter(PrintWriter w, String levels) {
      this.w = w;
      this.levels = levels;
    }

    @Override
    public synchronized void accept(Snapshot s) {
      long now = System.nanoTime();
      if (s instanceof TrainProgress p && (now - lastLine > 10_000_000_000L
          || p.state() != TrainProgress.State.RUNNING || p.step() == 1)) {
        lastLine = now;
        // before the first step there is no loss yet: a dash, not "NaN"
        w.printf("[%s] step %d/%d  loss %s  lr %.2e  %.0f tok/s  %s elapsed  eta %s  %s  %s%n",
            p.state().name().toLowerCase(), p.step(), p.totalSteps(), Double.isNaN(p.loss())
                && p.step() == 0 ? "—" : String.format("%.4f", p.loss()),
            p.learningRate(),
            p.tokensPerSecond(), dev.diffulab.core.text.Durations.format(p.elapsedMillis()),
            p.etaMillis() < 0 ? "?" : dev.diffulab.core.text.Durations.format(p.etaMillis()),
            p.device(), p.message());
      } else if (s instanceof EvalPoint e) {
        w.printf("  eval @%d: %s%n", e.step(), e.measure().describe());
      } else if (s instanceof dev.diffulab.core.snapshot.NoiseLevelLosses n
          && now - lastLevels > 30_000_000_000L) {
        lastLevels = now;
        StringBuilder b = new StringBuilder("  loss by " + levels + " @" + n.step() + ":");
        for (int k = 0; k < n.levels().length; k++) {
          b.append(String.format(" %.0f%%=%.3f", 100 * n.levels()[k], n.loss()[k]));
        }
        w.println(b);
      } else if (s instanceof dev.diffulab.core.snapshot.AccuracyPoint a) {
        w.printf("  accuracy @%d: exact %.3f of %d %s%s%n", a.step(), a.exact(),
            a.prompts(), a.measured().counted(), Double.isNaN(a.partialShare())
                ? ""
                : String.format(", %s %.3f", a.measured().parts(), a.partialShare()));
      } else if (s instanceof SamplePreview p && p.graded()) {
        // answers or texts written back: the accuracy line said how many; a few of them to read
        var k = p.kind();
        for (int i = 0; i < Math.min(8, p.texts().size()); i++) {
          w.printf("  %s @%d: [%s] %s%n", k.noun(), p.step(), p.errors().get(i) == null
              ? k.passed()
              : k.failed(), p.texts().get(i));
        }
      } else if (s instanceof SamplePreview p) {
        if (!p.errors().isEmpty()) {
          long valid = p.errors().stream().filter(java.util.Objects::isNull).count();
          w.printf("  samples @%d: valid_fraction %.3f (%d of %d)%n", p.step(),
              (double) valid / p.texts().size(), valid, p.texts().size());
        }
        for (int i = 0; i < p.texts().size(); i++) {
          String mark = p.errors().isEmpty()
              ? ""
              : p.errors().get(i) == null
                  ? "[valid] "
                  : "[invalid] ";
          w.printf("  sample @%d: %s%s%n", p.step(), mark, p.texts().get(i));
        }
      }
      w.flush();
    }
  }
}
