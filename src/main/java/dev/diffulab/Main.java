package dev.diffulab;

import dev.diffulab.cli.DiffuLabCli;
import dev.diffulab.ui.shell.DiffuLabApp;
import java.util.Set;
import javafx.application.Application;

/**
 * Starts DiffuLab from the class path. No arguments, or only the window's own options
 * ({@code --checkpoint DIR}, {@code --corpus FILE}, {@code --tokenizer FILE}), open the window;
 * anything else is a headless command. Deliberately not an {@link Application}: JavaFX on the
 * class path refuses to launch a main class that is one.
 */
public final class Main {
  private static final Set<String> WINDOW_OPTIONS = Set.of("--checkpoint", "--corpus",
      "--tokenizer", "--device");

  private Main() {
  }

  public static void main(String[] args) {
    System.getProperties().putIfAbsent("ai.djl.offline", "true");
    // the Device dialog's choice of a CUDA build, before anything loads PyTorch
    dev.diffulab.core.device.GpuChoice.apply(System.getenv());
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // DJL probes CUDA on every start and warns when the driver is older than its runtime; the
    // status bar and `info` already say which device is used.
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils",
        "error");
    if (args.length == 0 || WINDOW_OPTIONS.contains(args[0].split("=")[0])) {
      Application.launch(DiffuLabApp.class, args);
    } else {
      System.exit(DiffuLabCli.run(args));
    }
  }
}
