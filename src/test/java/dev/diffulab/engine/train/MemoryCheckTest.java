package dev.diffulab.engine.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.diffulab.core.InputException;
import dev.diffulab.core.config.RunConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A run that does not fit the memory of its device — CPU or GPU — is refused before it starts. */
class MemoryCheckTest {
  private static final RunConfig BIG = RunConfig.parse("{\"model\": {\"d_model\": 512,"
      + " \"layers\": 8, \"heads\": 8, \"ffn\": 2048, \"seq_len\": 512}, \"train\":"
      + " {\"batch_size\": 256}}", "test");

  @AfterEach
  void clear() {
    System.clearProperty("diffulab.availableGpuMemoryMb");
    System.clearProperty("diffulab.availableMemoryMb");
  }

  @Test
  void theGpusFreeMemoryBoundsARunOnTheGpu() {
    System.setProperty("diffulab.availableGpuMemoryMb", "512");
    System.setProperty("diffulab.availableMemoryMb", "1000000");
    InputException e = assertThrows(InputException.class,
        () -> MemoryCheck.check(Device.gpu(), BIG, 30_522));
    assertTrue(e.getMessage().contains("on the GPU") && e.getMessage().contains("largest part"),
        e.getMessage());
    assertDoesNotThrow(() -> MemoryCheck.check(Device.cpu(), BIG, 30_522),
        "the CPU's memory is another matter");
    System.setProperty("diffulab.availableGpuMemoryMb", "1000000");
    assertDoesNotThrow(() -> MemoryCheck.check(Device.gpu(), BIG, 30_522));
  }
}
