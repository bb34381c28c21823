package dev.diffulab.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.core.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The way to a GPU, tested without one: the driver's report, libtorch folders, the restart. */
class GpuSetupTest {
  @TempDir
  Path dir;

  @AfterEach
  void clean() {
    for (String k : List.of("diffulab.gpuFile", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION",
        "PYTORCH_FLAVOR")) {
      System.clearProperty(k);
    }
    System.setProperty("ai.djl.offline", "true");
  }

  private static final String BANNER = """
      +-----------------------------------------------------------------------------+
      | NVIDIA-SMI 570.86.10   Driver Version: 570.86.10   CUDA Version: 12.8       |
      """;

  @Test
  void aCudaDeviceIsNamedOnlyWhereTheDriverCanTellWhichItIs() {
    GpuSetup.Gpu h100 = new GpuSetup.Gpu("NVIDIA H100 80GB HBM3", "570.86.10");
    GpuSetup.Gpu a10 = new GpuSetup.Gpu("NVIDIA A10", "570.86.10");
    assertEquals(Optional.of(h100.name()), GpuSetup.cudaDeviceName(List.of(h100), 0, Map.of()));
    // alike GPUs: whichever CUDA calls 1, it is one of them
    assertEquals(Optional.of(h100.name()), GpuSetup.cudaDeviceName(List.of(h100, h100), 1,
        Map.of("CUDA_VISIBLE_DEVICES", "1")));
    // unlike GPUs in CUDA's own order (fastest first): the driver's list does not say which
    assertEquals(Optional.empty(), GpuSetup.cudaDeviceName(List.of(a10, h100), 0, Map.of()));
    Map<String, String> pci = Map.of("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
    assertEquals(Optional.of(a10.name()), GpuSetup.cudaDeviceName(List.of(a10, h100), 0, pci));
    assertEquals(Optional.of(h100.name()), GpuSetup.cudaDeviceName(List.of(a10, h100), 1, pci));
    assertEquals(Optional.empty(), GpuSetup.cudaDeviceName(List.of(a10, h100), 2, pci));
    // some GPUs hidden: CUDA's 0 is whichever comes first among the visible ones
    assertEquals(Optional.empty(), GpuSetup.cudaDeviceName(List.of(a10, h100), 0,
        Map.of("CUDA_DEVICE_ORDER", "PCI_BUS_ID", "CUDA_VISIBLE_DEVICES", "1")));
    assertEquals(Optional.empty(), GpuSetup.cudaDeviceName(List.of(), 0, Map.of()));
  }

  @Test
  void theDriversReportIsReadAndOldDriversAreNamed() {
    GpuSetup.Report none = GpuSetup.detect(a -> Optional.empty(), Map.of());
    assertEquals(List.of(), none.gpus());
    assertTrue(none.problem().contains("no NVIDIA driver"), none.problem());
    assertEquals("GPU: none found — " + none.problem(), none.lines().get(0));
    assertEquals("PyTorch: the CPU build shipped with DiffuLab", none.lines().get(1));

    GpuSetup.Report two = GpuSetup.detect(a -> Optional.of(a.isEmpty()
        ? BANNER
        : "NVIDIA GeForce RTX 4090, 570.86.10\nNVIDIA A100-SXM4-40GB, 570.86.10\n"), Map.of());
    assertEquals(2, two.gpus().size());
    assertEquals("NVIDIA GeForce RTX 4090", two.gpus().get(0).name());
    assertEquals("12.8", two.cudaVersion());
    assertNull(two.problem());
    assertEquals("GPU: NVIDIA A100-SXM4-40GB · driver 570.86.10 · CUDA 12.8",
        two.lines().get(1));

    GpuSetup.Report old = GpuSetup.detect(a -> Optional.of(a.isEmpty()
        ? BANNER
        : "Tesla T4, 470.57.02\n"), Map.of());
    assertTrue(old.problem().contains("R525"), old.problem());
    GpuSetup.Report blackwell = GpuSetup.detect(a -> Optional.of(a.isEmpty()
        ? BANNER
        : "NVIDIA GeForce RTX 5090, 560.35.03\n"), Map.of());
    assertTrue(blackwell.problem().contains("R570") && blackwell.problem().contains("RTX 50"),
        blackwell.problem());
  }

  @Test
  void aFolderWithoutLibtorchIsRefusedAndAPipTorchIsAccepted() throws Exception {
    InputException empty = assertThrows(InputException.class,
        () -> GpuSetup.checkLibtorch(dir));
    assertTrue(empty.getMessage().contains("holds no libtorch")
        && empty.getMessage().contains(dir.toString()), empty.getMessage());
    assertThrows(InputException.class, () -> GpuSetup.checkLibtorch(dir.resolve("nowhere")));

    Path torch = Files.createDirectories(dir.resolve("site-packages/torch"));
    Path lib = Files.createDirectories(torch.resolve("lib"));
    Files.writeString(lib.resolve(lib("torch")), "");
    InputException cpuOnly = assertThrows(InputException.class,
        () -> GpuSetup.checkLibtorch(torch));
    assertTrue(cpuOnly.getMessage().contains("without CUDA"), cpuOnly.getMessage());
    Files.writeString(lib.resolve(lib("torch_cuda")), "");
    Files.writeString(torch.resolve("version.py"), "__version__ = '2.6.0+cu124'\n");
    InputException version = assertThrows(InputException.class,
        () -> GpuSetup.checkLibtorch(torch));
    assertTrue(version.getMessage().contains("2.6.0"), version.getMessage());
    Files.writeString(torch.resolve("version.py"), "__version__ = '2.7.1+cu128'\n");
    assertEquals(lib.toAbsolutePath().normalize(), GpuSetup.checkLibtorch(torch));
    assertEquals(lib.toAbsolutePath().normalize(), GpuSetup.checkLibtorch(lib));
  }

  private static String lib(String name) {
    String os = System.getProperty("os.name").toLowerCase();
    return os.contains("win")
        ? name + ".dll"
        : os.contains("mac")
            ? "lib" + name + ".dylib"
            : "lib" + name + ".so";
  }

  @Test
  void theRestartUsesTheLauncherWithTheCudaEnvironment() {
    Path lib = dir.resolve("torch/lib");
    Map<String, String> env = GpuSetup.environment(lib);
    assertEquals(Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_VERSION", "2.7.1",
        "PYTORCH_FLAVOR", "cu128", "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "1"), env);
    ProcessBuilder pb = GpuSetup.restart(env, "/opt/diffulab", "Linux",
        ProcessHandle.current().info());
    assertEquals(List.of(Path.of("/opt/diffulab/bin/diffulab").toString()), pb.command());
    assertEquals(lib.toString(), pb.environment().get("PYTORCH_LIBRARY_PATH"));
    assertEquals("cu128", pb.environment().get("PYTORCH_FLAVOR"));
    ProcessBuilder win = GpuSetup.restart(env, "C:\\DiffuLab", "Windows 11",
        ProcessHandle.current().info());
    assertTrue(win.command().get(0).endsWith("diffulab.bat"));
    ProcessBuilder self = GpuSetup.restart(GpuSetup.downloadEnvironment(), null, "Linux",
        ProcessHandle.current().info());
    assertEquals(ProcessHandle.current().info().command().orElseThrow(), self.command().get(0));
    assertEquals("1", self.environment().get("DIFFULAB_DJL_DOWNLOAD"));
  }

  @Test
  void aSavedChoiceIsAppliedAtTheNextStartUnlessTheEnvironmentSaysOtherwise() throws Exception {
    System.setProperty("diffulab.gpuFile", dir.resolve("gpu.env").toString());
    assertEquals(Map.of(), GpuChoice.load());
    assertEquals(Map.of(), GpuChoice.apply(Map.of()));
    Path lib = dir.resolve("lib with space");
    GpuChoice.save(GpuSetup.environment(lib));
    assertEquals(lib.toString(), GpuChoice.load().get("PYTORCH_LIBRARY_PATH"));
    Map<String, String> applied = GpuChoice.apply(Map.of("PYTORCH_FLAVOR", "cu124"));
    assertEquals(lib.toString(), System.getProperty("PYTORCH_LIBRARY_PATH"));
    assertNull(System.getProperty("PYTORCH_FLAVOR"), "the environment's own setting wins");
    assertEquals(2, applied.size());
    GpuChoice.save(GpuSetup.downloadEnvironment());
    GpuChoice.apply(Map.of());
    assertEquals("false", System.getProperty("ai.djl.offline"), "a download may go online");
    GpuChoice.clear();
    assertEquals(Map.of(), GpuChoice.load());
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void theLauncherScriptReadsTheSavedChoice() throws Exception {
    Path fakeJdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = fakeJdk.resolve("java");
    Files.writeString(java,
        """
            #!/bin/sh
            if [ "$1" = "-version" ]; then echo 'openjdk version "25.0.1"' >&2; exit 0; fi
            echo "lib=$PYTORCH_LIBRARY_PATH flavor=$PYTORCH_FLAVOR tf32=$TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"
            echo "args=$*"
            """);
    java.toFile().setExecutable(true);
    Path gpu = dir.resolve("gpu.env");
    Path lib = dir.resolve("torch lib");
    System.setProperty("diffulab.gpuFile", gpu.toString());
    GpuChoice.save(GpuSetup.environment(lib));
    String out = launch(fakeJdk.getParent(), gpu, Map.of());
    assertTrue(out.contains("lib=" + lib + " flavor=cu128 tf32=1"), out);
    assertTrue(out.contains("-Dai.djl.offline=true"), out);
    String theirs = launch(fakeJdk.getParent(), gpu, Map.of("PYTORCH_FLAVOR", "cpu"));
    assertTrue(theirs.contains("flavor=cpu"), "the environment wins: " + theirs);
    GpuChoice.save(GpuSetup.downloadEnvironment());
    assertTrue(launch(fakeJdk.getParent(), gpu, Map.of()).contains("-Dai.djl.offline=false"));
  }

  private static String launch(Path jdk, Path gpuFile, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sh", Path.of("src/main/dist/bin/diffulab").toString(),
        "info").redirectErrorStream(true);
    pb.environment().remove("PYTORCH_LIBRARY_PATH");
    pb.environment().remove("PYTORCH_FLAVOR");
    pb.environment().remove("DIFFULAB_DJL_DOWNLOAD");
    pb.environment().put("JAVA_HOME", jdk.toString());
    pb.environment().put("DIFFULAB_GPU_FILE", gpuFile.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    return out;
  }
}
