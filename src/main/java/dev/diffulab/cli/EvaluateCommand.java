package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.engine.checkpoint.LoadedModel;
import dev.diffulab.engine.train.Evaluator;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Held-out bound, per-ratio losses and sample quality of a"
    + " checkpoint.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--checkpoint", required = true)
  Path checkpoint;
  @Option(names = "--num-samples", defaultValue = "64")
  int numSamples;
  @Option(names = "--seed", defaultValue = "7")
  long seed;
  @Option(names = "--device", defaultValue = "auto")
  String device;
  @Option(names = "--json")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (numSamples < 1) {
      throw new InputException("--num-samples must be at least 1, got " + numSamples);
    }
    DeviceChoice d = ConfigName.parse(DeviceChoice.class, "--device", device);
    Map<String, Object> r = EngineRunner.run(d, s -> {
    }, "Evaluating", ctx -> {
      try (LoadedModel lm = LoadedModel.open(checkpoint, ctx.manager())) {
        return Evaluator.evaluate(lm, numSamples, seed, ctx);
      }
    });
    Output.print(spec.commandLine().getOut(), json, r);
    return DiffuLabCli.OK;
  }
}
