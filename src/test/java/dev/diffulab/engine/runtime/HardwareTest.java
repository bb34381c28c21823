package dev.diffulab.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** A CPU run names its cores, in a manifest and in the status bar (the GPU names: GpuSetupTest). */
class HardwareTest {
  @Test
  void aCpuIsNamedByItsCores() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(cores + "-core CPU", Hardware.of(Device.cpu()));
    assertEquals("CPU (" + cores + " cores)", Hardware.describe(Device.cpu()));
    assertEquals(cores + "-core CPU", Hardware.of(null));
  }
}
