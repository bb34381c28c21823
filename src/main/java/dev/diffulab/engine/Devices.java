package dev.diffulab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.diffulab.core.InputException;
import dev.diffulab.core.config.DeviceChoice;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which device a run uses, how the status bar names it, and how much memory the process holds. */
final class Devices {
  private Devices() {
  }

  /** The device {@code choice} asks for; "gpu" on a machine where PyTorch sees none is refused. */
  static Device pick(Engine engine, DeviceChoice choice) {
    int gpus = engine.getGpuCount();
    return switch (choice) {
      case CPU -> Device.cpu();
      case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new InputException(
              "config key 'device': \"gpu\" was asked for, but PyTorch sees no GPU on this machine"
                  + " (use \"auto\" or \"cpu\")");
        }
        yield Device.gpu();
      }
    };
  }

  /** What the status bar says once the engine is ready (empty: nothing worth saying). */
  static String note(Engine engine, DeviceChoice choice) {
    return choice == DeviceChoice.AUTO && engine.getGpuCount() == 0
        ? "no GPU found: training runs on the CPU"
        : "";
  }

  /** "CPU (2 cores)" or "GPU 0 (NVIDIA H100 80GB HBM3)"; empty before the engine has loaded. */
  static String describe(Device device) {
    return device == null ? "" : dev.diffulab.engine.runtime.Hardware.describe(device);
  }

  /** Resident memory of the process (tensors live outside the Java heap), or the heap in use. */
  static long memoryInUse() {
    try {
      String statm = Files.readString(Path.of("/proc/self/statm")).trim();
      long pages = Long.parseLong(statm.split(" ")[1]);
      return pages * 4096;
    } catch (Exception e) {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }
}
