package dev.diffulab.cli;

import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.engine.LabService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A checkpoint made ready to share or ship: the same parameters, tokenizer and manifest, without
 * the optimiser state (which doubles the size and is only needed to resume), with the sampler
 * settings given here as its defaults. How the demo models under {@code assets/models} are made.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Copy a checkpoint for"
    + " sharing: no optimiser state, the given sampler settings as its defaults.")
final class ExportCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--checkpoint", required = true, description = "Checkpoint directory.")
  Path checkpoint;
  @Option(names = "--out", required = true, description = "Folder to write (new, or a"
      + " checkpoint to replace).")
  Path out;
  @Mixin
  SamplerOptions sampler;
  @Option(names = "--half", description = "Store the parameters as float16: half the file"
      + " (loading widens them back to float32). Check the copy with evaluate before sharing it.")
  boolean half;
  @Option(names = "--device", defaultValue = "auto", description = "Where --half loads the"
      + " model (auto, cpu or gpu).")
  String device;

  @Override
  public Integer call() throws Exception {
    Path dir = DemoModels.resolve(checkpoint);
    RunConfig config = LabService.readCheckpoint(dir).config();
    SamplerConfig s = sampler.apply(config, spec.commandLine().getErr());
    int step = half
        ? EngineRunner.run(ConfigName.parse(DeviceChoice.class, "--device", device), x -> {
        }, lab -> lab.exportHalf(dir, s, out))
        : LabService.export(dir, s, out);
    spec.commandLine().getOut().printf("exported %s (step %d) to %s%n", checkpoint, step, out);
    return DiffuLabCli.OK;
  }
}
