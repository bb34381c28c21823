package dev.diffulab.ui.shell;

import dev.diffulab.ui.theme.Appearance;
import java.io.File;
import java.nio.file.Path;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;

/**
 * The last resort for a run's checkpoint: neither its folder, nor the folder beside it, nor
 * {@code ~/.diffulab/rescued}, nor the temporary folder could take it. The run waits, the
 * trained model still in memory, while the person says what went wrong and chooses a folder.
 */
final class RescueDialog {
  private RescueDialog() {
  }

  /** A folder the person chose, or null when they discard the model. */
  static Path choose(Stage owner, String problem) {
    ButtonType choose = new ButtonType("Choose a folder…", ButtonBar.ButtonData.OK_DONE);
    ButtonType giveUp = new ButtonType("Discard the model", ButtonBar.ButtonData.CANCEL_CLOSE);
    Alert a = new Alert(Alert.AlertType.WARNING, problem, choose, giveUp);
    a.initOwner(owner);
    a.setTitle("DiffuLab");
    a.setHeaderText("Where can the trained model be saved?");
    Appearance.style(a.getDialogPane());
    if (a.showAndWait().filter(b -> b == choose).isEmpty()) {
      return null;
    }
    DirectoryChooser dc = new DirectoryChooser();
    dc.setTitle("Folder for the trained model");
    File d = dc.showDialog(owner);
    return d == null ? null : d.toPath();
  }
}
