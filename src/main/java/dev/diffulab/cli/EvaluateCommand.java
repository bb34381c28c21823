package dev.diffulab.cli;

import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.engine.LabService;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Held-out bound, per-ratio losses and sample quality of a"
    + " checkpoint; --record keeps the numbers in its manifest.")
final class EvaluateCommand implements Callable<Integer> {
  /** Samples drawn when --num-samples is not given. */
  static final int DEFAULT_SAMPLES = 64;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--checkpoint", required = true, description = "Checkpoint directory, or"
      + " the name of a shipped model (demo, demo-cdcd).")
  Path checkpoint;
  @Mixin
  SamplerOptions sampler;
  @Option(names = "--seed", defaultValue = "7")
  long seed;
  @Option(names = "--device", defaultValue = "auto")
  String device;
  @Option(names = "--json")
  boolean json;
  @Option(names = "--record", description = "Write the measured numbers (valid and distinct"
      + " fractions, the held-out bound) and the sampler into the checkpoint's manifest.json.")
  boolean record;

  @Option(names = "--sweep", arity = "0..1", fallbackValue = "", paramLabel = "GRID", description = "Sweep the sampler instead: every combination of GRID (e.g."
      + " 'temperature=0.8,1;remasking=random,low-confidence'; without GRID the family's own),"
      + " measured on the same seed; writes the quality-diversity points with the Pareto front"
      + " as --sweep-out.csv and .png.")
  String sweep;
  @Option(names = "--sweep-out", defaultValue = "frontier", paramLabel = "PREFIX", description = "Where --sweep writes PREFIX.csv and PREFIX.png (default: ${DEFAULT-VALUE}).")
  Path sweepOut;
  @Option(names = "--overwrite", description = "Let --sweep replace existing files.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    DeviceChoice d = ConfigName.parse(DeviceChoice.class, "--device", device);
    Path dir = DemoModels.resolve(checkpoint);
    RunConfig config = LabService.readCheckpoint(dir).config();
    SamplerConfig s = sampler.apply(config.sampler(), config.model().seqLen());
    int n = sampler.numSamples != null ? sampler.numSamples : DEFAULT_SAMPLES;
    if (sweep != null) {
      return sweep(d, dir, s, n);
    }
    Map<String, Object> r = EngineRunner.run(d, x -> {
    }, lab -> lab.evaluate(dir, s, n, seed, record));
    Output.print(spec.commandLine().getOut(), json, r);
    if (record) {
      spec.commandLine().getErr().println("recorded in " + dir.resolve("manifest.json"));
    }
    return DiffuLabCli.OK;
  }

  private int sweep(DeviceChoice d, Path dir, SamplerConfig s, int n) throws Exception {
    if (record) {
      throw new dev.diffulab.core.InputException("--record keeps one evaluation; it does not"
          + " go with --sweep");
    }
    Path csv = Path.of(sweepOut + ".csv");
    Path png = Path.of(sweepOut + ".png");
    Output.checkWritable(csv, "--sweep-out", overwrite);
    Output.checkWritable(png, "--sweep-out", overwrite);
    var err = spec.commandLine().getErr();
    java.util.List<Map<String, Object>> rows = EngineRunner.run(d, x -> {
    }, lab -> lab.sweep(dir, s, sweep.isBlank() ? null : sweep, n, seed, (done, all) -> {
      err.printf("point %d/%d measured%n", done, all);
      err.flush();
    }));
    var report = dev.diffulab.core.metrics.SweepReport.of(rows);
    java.nio.file.Files.writeString(csv, report.csv());
    dev.diffulab.ui.chart.FrontierChart.png(dev.diffulab.ui.chart.FrontierChart.build(
        report.points(), "Quality against diversity: " + dir.getFileName() + ", " + n
            + " samples a point, seed " + seed,
        report.qualityName(), report.diversityName()),
        png, 1100, 750);
    if (json) {
      Output.print(spec.commandLine().getOut(), true, Map.of("points", rows));
    } else {
      spec.commandLine().getOut().print(report.table());
      spec.commandLine().getOut().flush();
    }
    err.println("wrote " + csv + " and " + png);
    return DiffuLabCli.OK;
  }
}
