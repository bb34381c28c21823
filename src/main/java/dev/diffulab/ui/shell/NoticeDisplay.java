package dev.diffulab.ui.shell;

import dev.diffulab.ui.common.Notices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;
import org.controlsfx.control.action.Action;

/**
 * Shows {@link Notices} as ControlsFX notifications in the window's corner — a few seconds for
 * good news, longer for a failure — with "Open folder" where the notice names one, and repeats
 * them in the status bar until the next message.
 */
final class NoticeDisplay {
  private final Stage stage;
  private final ShellViewModel status;
  private Consumer<Path> folderOpener = p -> {
  };

  NoticeDisplay(Stage stage, ShellViewModel status) {
    this.stage = stage;
    this.status = status;
  }

  void setFolderOpener(Consumer<Path> opener) {
    this.folderOpener = opener;
  }

  void show(Notices.Notice n) {
    status.tell(n.title() + ": " + n.text());
    if (stage.getScene() == null || !stage.isShowing()) {
      return;
    }
    Notifications note = Notifications.create()
        .owner(stage)
        .title(n.title())
        .text(n.text())
        .position(Pos.BOTTOM_RIGHT)
        .hideAfter(Duration.seconds(n.failure() ? 12 : 6));
    if (n.folder() != null) {
      Path folder = Files.isDirectory(n.folder()) ? n.folder() : n.folder().getParent();
      note.action(new Action("Open folder", e -> folderOpener.accept(folder)));
    }
    if (n.failure()) {
      note.showError();
    } else {
      note.showInformation();
    }
  }
}
