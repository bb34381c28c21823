package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.config.SamplerConfig;
import dev.diffulab.core.schedule.MaskSchedule;
import dev.diffulab.core.snapshot.DenoiseTrace;
import dev.diffulab.core.snapshot.TraceJson;
import dev.diffulab.engine.checkpoint.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Sample from a checkpoint; optionally write the denoising"
    + " trace as JSON.")
final class GenerateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--checkpoint", required = true, description = "Checkpoint directory.")
  Path checkpoint;
  @Option(names = "--num-samples", description = "How many samples (default: the config's).")
  Integer numSamples;
  @Option(names = "--length", description = "Canvas length in tokens (0: drawn from the corpus).")
  Integer length;
  @Option(names = "--steps", description = "Denoising steps.")
  Integer steps;
  @Option(names = "--schedule", description = "linear, cosine or exponential.")
  String schedule;
  @Option(names = "--remasking", description = "random, low-confidence or ancestral.")
  String remasking;
  @Option(names = "--sampling", description = "greedy, top-k or nucleus.")
  String sampling;
  @Option(names = "--top-k")
  Integer topK;
  @Option(names = "--top-p")
  Double topP;
  @Option(names = "--temperature")
  Double temperature;
  @Option(names = "--remasking-temperature", description = "Gumbel noise on the confidences"
      + " that low-confidence remasking ranks, annealed to 0 (MaskGIT); 0: none.")
  Double remaskingTemperature;
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

  @Override
  public Integer call() throws Exception {
    DeviceChoice d = ConfigName.parse(DeviceChoice.class, "--device", device);
    List<DenoiseTrace> traces = EngineRunner.run(d, s -> {
    }, "Sampling", ctx -> {
      try (LoadedModel lm = LoadedModel.open(checkpoint, ctx.manager())) {
        SamplerConfig s = settings(lm.config().sampler(), lm.config().model().seqLen());
        int[] prompt = prefix == null ? new int[0] : lm.tokenizer().encode(prefix);
        if (prompt.length >= lm.config().model().seqLen()) {
          throw new InputException("--prefix has " + prompt.length + " tokens; the model writes "
              + lm.config().model().seqLen() + " at most");
        }
        int[] lengths = lm.drawLengths(s.numSamples(), s.length(), prompt.length, seed);
        return lm.sample(s, lengths, prompt, seed, ctx);
      }
    });
    if (trace != null) {
      Path parent = trace.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(trace, TraceJson.write(traces));
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

  private SamplerConfig settings(SamplerConfig c, int seqLen) {
    if (length != null && (length < 0 || length > seqLen)) {
      throw new InputException("--length must be between 0 and " + seqLen + ", got " + length);
    }
    if (steps != null && steps < 1) {
      throw new InputException("--steps must be at least 1, got " + steps);
    }
    if (numSamples != null && numSamples < 1) {
      throw new InputException("--num-samples must be at least 1, got " + numSamples);
    }
    if (temperature != null && !(temperature > 0)) {
      throw new InputException("--temperature must be above 0, got " + temperature);
    }
    if (remaskingTemperature != null && !(remaskingTemperature >= 0
        && remaskingTemperature <= 100)) {
      throw new InputException("--remasking-temperature must be in [0, 100], got "
          + remaskingTemperature);
    }
    if (topP != null && !(topP > 0 && topP <= 1)) {
      throw new InputException("--top-p must be in (0, 1], got " + topP);
    }
    if (topK != null && topK < 1) {
      throw new InputException("--top-k must be at least 1, got " + topK);
    }
    SamplerConfig base = remaskingTemperature != null
        ? c.withRemaskingTemperature(remaskingTemperature)
        : c;
    return base.with(steps != null ? steps : c.steps(),
        schedule != null
            ? ConfigName.parse(MaskSchedule.class, "--schedule", schedule)
            : c.schedule(),
        remasking != null
            ? ConfigName.parse(SamplerConfig.Remasking.class, "--remasking",
                remasking)
            : c.remasking(),
        sampling != null
            ? ConfigName.parse(SamplerConfig.TokenChoice.class, "--sampling",
                sampling)
            : c.tokenChoice(),
        topK != null ? topK : c.topK(), topP != null ? topP : c.topP(),
        temperature != null ? temperature : c.temperature(), length != null ? length : c.length(),
        numSamples != null ? numSamples : c.numSamples());
  }
}
