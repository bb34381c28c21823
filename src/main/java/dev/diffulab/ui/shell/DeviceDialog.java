package dev.diffulab.ui.shell;

import dev.diffulab.core.InputException;
import dev.diffulab.core.device.GpuChoice;
import dev.diffulab.core.device.GpuSetup;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.theme.Appearance;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;

/**
 * File → GPU and device: what the machine has (GPU, driver and CUDA version, or why none), which
 * device PyTorch uses now, and the two ways to a CUDA build — a local PyTorch 2.7.1 + CUDA 12.8,
 * or DJL's own download of its CUDA natives, once. A choice is kept ({@link GpuSetup}) and the
 * app restarts with it; "Use the CPU build" goes back.
 */
final class DeviceDialog {
  private final Stage owner;
  private final ShellViewModel status;
  private final BooleanSupplier training;

  DeviceDialog(Stage owner, ShellViewModel status, BooleanSupplier training) {
    this.owner = owner;
    this.status = status;
    this.training = training;
  }

  void show() {
    Dialog<Void> d = new Dialog<>();
    d.initOwner(owner);
    d.setTitle("GPU and device");
    d.setHeaderText("PyTorch now runs on: " + (status.last().device().isEmpty()
        ? "(still loading)"
        : status.last().device()));
    Appearance.style(d.getDialogPane());
    Label found = new Label("Asking the NVIDIA driver…");
    found.setId("deviceReport");
    found.setWrapText(true);
    Label needs = new Label("A CUDA GPU needs an NVIDIA GPU of the Turing generation or newer"
        + " and driver R" + GpuSetup.MIN_DRIVER + " or newer (R" + GpuSetup.MIN_DRIVER_BLACKWELL
        + " for the RTX 50 series). DiffuLab ships PyTorch's CPU build; a CUDA build comes from"
        + " a local PyTorch " + GpuSetup.PYTORCH_VERSION + " with CUDA 12.8 (a libtorch folder or"
        + " a pip-installed torch/lib), or from DJL's download (" + GpuSetup.DOWNLOAD_SIZE
        + ", once — the only time DiffuLab goes online). Either way DiffuLab restarts.");
    needs.setWrapText(true);
    needs.getStyleClass().add("hint");
    Button local = new Button("Use a local PyTorch…");
    local.setId("localTorchButton");
    local.setOnAction(e -> chooseLocal(d));
    Button download = new Button("Download CUDA natives…");
    download.setId("downloadTorchButton");
    download.setOnAction(e -> confirmDownload(d));
    Button cpu = new Button("Use the CPU build");
    cpu.setId("cpuTorchButton");
    cpu.setDisable(GpuChoice.load().isEmpty());
    cpu.setOnAction(e -> {
      try {
        GpuChoice.clear();
        askRestart(d, Map.of());
      } catch (IOException ex) {
        Errors.show("Clearing the GPU setting", ex);
      }
    });
    // dialogs size labels to one line unless told their height may grow with the wrapped text
    found.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    needs.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    found.setMaxWidth(640);
    needs.setMaxWidth(640);
    VBox body = new VBox(12, found, needs, new HBox(8, local, download, cpu));
    body.setPadding(new Insets(10, 12, 4, 12));
    body.setPrefWidth(640);
    body.setMinWidth(640);
    d.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    d.getDialogPane().setContent(body);
    d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
    CompletableFuture.supplyAsync(GpuSetup::detect).whenComplete((r, e) -> Platform.runLater(
        () -> {
          found.setText(e != null
              ? "The driver could not be asked: " + e.getMessage()
              : String.join("\n", r.lines()));
          // the report is longer than "Asking…": the window grows to show it all
          if (d.getDialogPane().getScene() != null) {
            d.getDialogPane().getScene().getWindow().sizeToScene();
          }
        }));
    d.show();
  }

  private void chooseLocal(Dialog<Void> d) {
    DirectoryChooser dc = new DirectoryChooser();
    dc.setTitle("Folder of PyTorch 2.7.1 + CUDA 12.8 (libtorch, or torch/lib)");
    File f = dc.showDialog(d.getDialogPane().getScene().getWindow());
    if (f == null) {
      return;
    }
    try {
      Path lib = GpuSetup.checkLibtorch(f.toPath());
      Map<String, String> env = GpuSetup.environment(lib);
      GpuChoice.save(env);
      askRestart(d, env);
    } catch (InputException e) {
      Errors.show(e.getMessage());
    } catch (IOException e) {
      Errors.show("Keeping the GPU setting", e);
    }
  }

  private void confirmDownload(Dialog<Void> d) {
    Alert a = new Alert(Alert.AlertType.CONFIRMATION, "DiffuLab restarts and DJL downloads"
        + " PyTorch " + GpuSetup.PYTORCH_VERSION + " with CUDA 12.8 (" + GpuSetup.DOWNLOAD_SIZE
        + ") into its cache while the window loads; the status bar shows how much has"
        + " arrived. Later starts use the cache and stay offline. Quitting during the download"
        + " cancels it; \"Use the CPU build\" undoes the choice.");
    a.initOwner(owner);
    a.setHeaderText("Download DJL's CUDA natives?");
    Appearance.style(a.getDialogPane());
    a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> {
      try {
        Map<String, String> env = GpuSetup.downloadEnvironment();
        GpuChoice.save(env);
        askRestart(d, env);
      } catch (IOException e) {
        Errors.show("Keeping the GPU setting", e);
      }
    });
  }

  private void askRestart(Dialog<Void> d, Map<String, String> env) {
    ButtonType now = new ButtonType("Restart now", ButtonBar.ButtonData.OK_DONE);
    ButtonType later = new ButtonType("Later", ButtonBar.ButtonData.CANCEL_CLOSE);
    Alert a = new Alert(Alert.AlertType.INFORMATION, "The setting is kept; it takes effect"
        + " when DiffuLab starts again.", now, later);
    a.initOwner(owner);
    a.setHeaderText("Restart DiffuLab?");
    Appearance.style(a.getDialogPane());
    a.showAndWait().filter(b -> b == now).ifPresent(b -> {
      if (training.getAsBoolean()) {
        Errors.show("A run is training: stop it (its checkpoint is kept), then restart");
        return;
      }
      try {
        GpuSetup.restart(env, System.getProperty("diffulab.home"),
            System.getProperty("os.name", ""), ProcessHandle.current().info()).start();
        d.close();
        Platform.exit();
      } catch (IOException | RuntimeException e) {
        Errors.show("Restarting DiffuLab (start it again yourself; the setting is kept)", e);
      }
    });
  }

  /**
   * While DJL downloads its CUDA natives (the Device dialog's choice), says how much has arrived;
   * quitting cancels it.
   */
  static void showDownloadProgress(ShellViewModel model) {
    if (!"false".equals(System.getProperty("ai.djl.offline"))) {
      return;
    }
    long before = dev.diffulab.core.device.GpuSetup.bytesUnder(
        dev.diffulab.core.device.GpuSetup.nativeCache());
    javafx.animation.Timeline poll = new javafx.animation.Timeline(new javafx.animation.KeyFrame(
        javafx.util.Duration.seconds(1), e -> {
          long now = dev.diffulab.core.device.GpuSetup.bytesUnder(
              dev.diffulab.core.device.GpuSetup.nativeCache());
          model.tell(String.format("Downloading PyTorch's CUDA natives: %,d MB of %s (quit to"
              + " cancel)", (now - before) >> 20, dev.diffulab.core.device.GpuSetup.DOWNLOAD_SIZE));
        }));
    poll.setCycleCount(javafx.animation.Animation.INDEFINITE);
    model.loadingProperty().addListener((o, was, loading) -> {
      if (!loading) {
        poll.stop();
      }
    });
    if (model.loadingProperty().get()) {
      poll.play();
    }
  }

}
