package dev.diffulab.cli;

import dev.diffulab.core.config.ConfigName;
import dev.diffulab.core.config.DeviceChoice;
import dev.diffulab.core.device.GpuChoice;
import dev.diffulab.core.device.GpuSetup;
import dev.diffulab.core.snapshot.EngineStatus;
import dev.diffulab.engine.LabService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Versions, engine and the device DiffuLab would use.")
final class InfoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--device", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})", defaultValue = "auto")
  String device;

  @Override
  public Integer call() throws Exception {
    DeviceChoice choice = ConfigName.parse(DeviceChoice.class, "--device", device);
    EngineStatus status;
    try (LabService lab = new LabService(choice, s -> {
    }).start()) {
      status = lab.started().exceptionally(t -> null).get();
      if (status == null) {
        status = lab.status();
        if (status.state() == EngineStatus.State.FAILED) {
          throw new dev.diffulab.core.InputException(status.message());
        }
      }
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("version", DiffuLabCli.version());
    v.put("engine", status.engine());
    v.put("engine_version", status.engineVersion());
    v.put("djl_version", status.djlVersion());
    v.put("device", status.device());
    v.put("cores", Runtime.getRuntime().availableProcessors());
    v.put("java", System.getProperty("java.version"));
    // the way to a GPU: what the driver reports and which PyTorch build is set up
    GpuSetup.Report gpu = GpuSetup.detect();
    v.put("gpus", gpu.gpus().stream().map(g -> g.name() + " (driver " + g.driver() + ")")
        .toList());
    v.put("cuda", gpu.cudaVersion() == null ? "" : gpu.cudaVersion());
    v.put("gpu_problem", gpu.problem() == null ? "" : gpu.problem());
    v.put("gpu_setup", String.join(" · ", gpu.lines()));
    v.put("gpu_setting_file", GpuChoice.file().toString());
    Output.print(spec.commandLine().getOut(), json, v);
    return DiffuLabCli.OK;
  }
}
