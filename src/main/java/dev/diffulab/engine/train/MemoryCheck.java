package dev.diffulab.engine.train;

import ai.djl.Device;
import dev.diffulab.core.InputException;
import dev.diffulab.core.config.MemoryEstimate;
import dev.diffulab.core.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses, before anything is allocated, a run that will not fit the memory this machine has
 * available (the CPU's, or the GPU's on a CUDA device): one line naming the largest term and the settings that shrink it.
 * Training into the kernel's out-of-memory killer gives no message and, on a shared machine, can
 * take another program with it.
 */
final class MemoryCheck {
  private MemoryCheck() {
  }

  static void check(Device device, RunConfig config, int vocab) {
    long available = device.isGpu() ? gpuMemory(device) : availableMemory();
    if (available <= 0) {
      return;
    }
    var need = MemoryEstimate.of(config, vocab);
    if (need.total() > available) {
      throw new InputException("this run needs about " + MemoryEstimate.gb(need.total())
          + " of memory but " + MemoryEstimate.gb(available) + " is available"
          + (device.isGpu() ? " on the GPU" : "") + "; the largest part is " + need.largest());
    }
  }

  /**
   * Free memory of a CUDA device, bytes (the driver's total less what is in use), or 0 if the
   * driver cannot say. The system property {@code diffulab.availableGpuMemoryMb} stands in for it.
   */
  static long gpuMemory(Device device) {
    Long given = Long.getLong("diffulab.availableGpuMemoryMb");
    if (given != null) {
      return given << 20;
    }
    try {
      var usage = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
      return usage.getMax() > 0 ? usage.getMax() - usage.getCommitted() : 0;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return 0;
    }
  }

  /**
   * Memory available to a new allocation, bytes (MemAvailable on Linux; the system property
   * {@code diffulab.availableMemoryMb} stands in for it), or 0 if unknown.
   */
  static long availableMemory() {
    Long given = Long.getLong("diffulab.availableMemoryMb");
    if (given != null) {
      return given << 20;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no estimate
    }
    return 0;
  }
}
