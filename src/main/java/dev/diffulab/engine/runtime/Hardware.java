package dev.diffulab.engine.runtime;

import ai.djl.Device;
import dev.diffulab.core.device.GpuSetup;
import java.util.List;
import java.util.Optional;

/**
 * What a run trains on, as a manifest and the status bar say it: "2-core CPU", or the GPU by
 * the name its driver gives ("NVIDIA H100 80GB HBM3"). The driver is asked once, and only when
 * a GPU is in use.
 */
public final class Hardware {
  private static volatile List<GpuSetup.Gpu> gpus;

  private Hardware() {
  }

  /** "2-core CPU", the GPU's name, or "CUDA GPU 1" where the driver cannot tell which it is. */
  public static String of(Device device) {
    if (device == null || !device.isGpu()) {
      return Runtime.getRuntime().availableProcessors() + "-core CPU";
    }
    return name(device).orElse("CUDA GPU " + device.getDeviceId());
  }

  /** The status bar's words: "CPU (2 cores)", "GPU 0 (NVIDIA H100 80GB HBM3)", "GPU 1 (CUDA)". */
  public static String describe(Device device) {
    if (device == null || !device.isGpu()) {
      return "CPU (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }
    return "GPU " + device.getDeviceId() + " (" + name(device).orElse("CUDA") + ")";
  }

  private static Optional<String> name(Device device) {
    List<GpuSetup.Gpu> known = gpus;
    if (known == null) {
      known = GpuSetup.detect().gpus();
      gpus = known;
    }
    return GpuSetup.cudaDeviceName(known, device.getDeviceId(), System.getenv());
  }
}
