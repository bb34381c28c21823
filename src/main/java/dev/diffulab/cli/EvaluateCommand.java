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

  @Override
  public Integer call() throws Exception {
    DeviceChoice d = ConfigName.parse(DeviceChoice.class, "--device", device);
    Path dir = DemoModels.resolve(checkpoint);
    RunConfig config = LabService.readCheckpoint(dir).config();
    SamplerConfig s = sampler.apply(config.sampler(), config.model().seqLen());
    int n = sampler.numSamples != null ? sampler.numSamples : DEFAULT_SAMPLES;
    Map<String, Object> r = EngineRunner.run(d, x -> {
    }, lab -> lab.evaluate(dir, s, n, seed, record));
    Output.print(spec.commandLine().getOut(), json, r);
    if (record) {
      spec.commandLine().getErr().println("recorded in " + dir.resolve("manifest.json"));
    }
    return DiffuLabCli.OK;
  }
}
