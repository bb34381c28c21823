package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TraceJson;
import dev.diffulab.engine.LabService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Sample from a checkpoint; optionally write the denoising"
    + " trace as JSON.")
final class GenerateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--checkpoint", required = true, description = "Checkpoint directory, or"
      + " the name of a shipped model (demo, demo-cdcd, demo-multiplication-3x3, …).")
  Path checkpoint;
  @Mixin
  SamplerOptions sampler;
  @Option(names = "--prefix", description = "Prompt text the samples continue.")
  String prefix;
  @Option(names = "--seed", defaultValue = "1")
  long seed;
  @Option(names = "--trace", description = "Write every step of every sample to this JSON file.")
  Path trace;
  @Option(names = "--device", defaultValue = "auto")
  String device;
  @Option(names = "--json", description = "Print {\"samples\": [...]} on stdout.")
  boolean json;
  @Option(names = "--overwrite", description = "Replace an existing --trace file.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    DeviceChoice d = ConfigName.parse(DeviceChoice.class, "--device", device);
    if (trace != null) {
      Output.checkWritable(trace, "--trace", overwrite);
    }
    java.io.PrintWriter err = spec.commandLine().getErr();
    Path dir = dev.diffulab.core.checkpoint.DemoModels.resolve(checkpoint);
    RunConfig config = LabService.readCheckpoint(dir).config();
    SamplerConfig s = sampler.apply(config, err);
    long[] last = {System.nanoTime()};
    List<DenoiseTrace> traces = EngineRunner.run(d, x -> {
    }, lab -> lab.sample(dir, s, prefix, seed, (k, total) -> {
      if (System.nanoTime() - last[0] > 10_000_000_000L) {
        last[0] = System.nanoTime();
        err.println("generating: step " + k + " of " + total);
        err.flush();
      }
    }, warning -> {
      err.println("diffulab: warning: " + warning);
      err.flush();
    }));
    if (trace != null) {
      Path parent = trace.toAbsolutePath().getParent();
      try {
        Files.createDirectories(parent);
        Files.writeString(trace, TraceJson.write(traces));
      } catch (java.io.IOException e) {
        throw new InputException("--trace " + trace + " cannot be written (" + e.getMessage()
            + ")");
      }
    }
    List<String> samples = traces.stream().map(DenoiseTrace::finalText).toList();
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("samples", samples);
      out.put("settings", traces.getFirst().settings());
      Output.print(spec.commandLine().getOut(), true, out);
    } else {
      samples.forEach(spec.commandLine().getOut()::println);
    }
    return DiffuLabCli.OK;
  }
}
