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
      + " the name of a shipped model (demo, demo-cdcd, demo-multiplication-3x3, …).")
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
  @Option(names = "--self-consistency", defaultValue = "1", paramLabel = "K", description = "For a prompt → response model: answer every held-out prompt K times and keep the"
      + " majority answer (default: ${DEFAULT-VALUE}, one sample). --num-samples counts"
      + " prompts. Votes differ only with a sampler that draws (--sampling nucleus or top-k).")
  int k;
  @Option(names = "--compare", arity = "1..*", paramLabel = "CHECKPOINT", description = "Further checkpoints to evaluate the same way (same held-out set, sampler and"
      + " seed): one table of method, parameters, training time, accuracy or validity and"
      + " speed.")
  java.util.List<Path> compare;
  @Option(names = "--by-steps", split = ",", paramLabel = "STEPS", description = "For a prompt → response model: accuracy at each of these denoising step counts"
      + " (e.g. 4,8,16,32), the same prompts and seed: how many steps an answer needs.")
  java.util.List<Integer> bySteps;
  @Option(names = "--multi-pass", description = "For a prompt → response model: answer thought"
      + " by thought (Diffusion of Thought's multi-pass: each thought kept and appended to the"
      + " question before the next is denoised) instead of in one pass.")
  boolean multiPass;

  @Override
  public Integer call() throws Exception {
    DeviceChoice d = ConfigName.parse(DeviceChoice.class, "--device", device);
    Path dir = DemoModels.resolve(checkpoint);
    RunConfig config = LabService.readCheckpoint(dir).config();
    SamplerConfig s = sampler.apply(config, spec.commandLine().getErr());
    int n = sampler.numSamples != null ? sampler.numSamples : DEFAULT_SAMPLES;
    if (sweep != null) {
      return sweep(d, dir, s, n);
    }
    if (k < 1 || k > 64) {
      throw new dev.diffulab.core.InputException("--self-consistency must be 1–64, not " + k);
    }
    if (k > 1 && s.tokenChoice() == SamplerConfig.TokenChoice.GREEDY) {
      spec.commandLine().getErr().println("note: --self-consistency " + k + " with greedy"
          + " token choice draws the same answer " + k + " times; add --sampling nucleus (or"
          + " top-k) for votes that can differ");
    }
    if (compare != null && !compare.isEmpty()) {
      return compare(d, dir, s, n);
    }
    if (bySteps != null && !bySteps.isEmpty()) {
      return bySteps(d, dir, s, n);
    }
    Map<String, Object> r = EngineRunner.run(d, x -> {
    }, lab -> lab.evaluate(dir, s, n, seed, record, answering()));
    Output.print(spec.commandLine().getOut(), json, r);
    if (record) {
      spec.commandLine().getErr().println("recorded in " + dir.resolve("manifest.json"));
    }
    return DiffuLabCli.OK;
  }

  private dev.diffulab.core.pairs.Answering answering() {
    return new dev.diffulab.core.pairs.Answering(k, multiPass);
  }

  /** Accuracy against the number of denoising steps: one row a step count. */
  private int bySteps(DeviceChoice d, Path dir, SamplerConfig s, int n)
      throws Exception {
    if (record || sweep != null) {
      throw new dev.diffulab.core.InputException("--by-steps does not go with --record or"
          + " --sweep");
    }
    int[] steps = bySteps.stream().mapToInt(Integer::intValue).toArray();
    java.util.List<Map<String, Object>> rows = EngineRunner.run(d, x -> {
    }, lab -> lab.accuracyBySteps(dir, s, steps, n, answering(), seed, (done, all) -> spec
        .commandLine().getErr().printf("%d of %d step counts measured%n", done, all)));
    return printRows("by_steps", rows);
  }

  /** Rows as one table, or with --json as one object holding them under {@code key}. */
  private int printRows(String key, java.util.List<Map<String, Object>> rows) {
    if (json) {
      Output.print(spec.commandLine().getOut(), true, Map.of(key, rows));
    } else {
      spec.commandLine().getOut().print(CompareTable.of(rows));
      spec.commandLine().getOut().flush();
    }
    return DiffuLabCli.OK;
  }

  /** The checkpoint and every --compare one evaluated alike, as one table. */
  private int compare(DeviceChoice d, Path dir, SamplerConfig s, int n) throws Exception {
    if (record || sweep != null) {
      throw new dev.diffulab.core.InputException("--compare does not go with --record or"
          + " --sweep");
    }
    java.util.List<Path> dirs = new java.util.ArrayList<>();
    dirs.add(dir);
    for (Path p : compare) {
      dirs.add(DemoModels.resolve(p));
    }
    java.util.List<Map<String, Object>> rows = new java.util.ArrayList<>();
    for (Path p : dirs) {
      // each checkpoint with its own sampler settings unless the command line set them
      RunConfig c = LabService.readCheckpoint(p).config();
      SamplerConfig own = p.equals(dir) ? s : sampler.apply(c.sampler(), c.model().seqLen());
      Map<String, Object> r = EngineRunner.run(d, x -> {
      }, lab -> lab.evaluate(p, own, n, seed, false, answering()));
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      row.put("checkpoint", p.toString());
      row.putAll(r);
      row.remove("samples");
      rows.add(row);
    }
    return printRows("compare", rows);
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
