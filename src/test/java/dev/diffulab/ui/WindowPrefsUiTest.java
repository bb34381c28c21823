package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.diffulab.ui.shell.DiffuLabApp;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.Preferences;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The window comes back as it was left: size, position and workspace, from a test node. */
class WindowPrefsUiTest extends AppUiTest {
  private static final String NODE = "dev/diffulab-test-" + ProcessHandle.current().pid();

  @Override
  public void start(Stage stage) {
    System.setProperty("diffulab.prefsNode", NODE);
    super.start(stage);
  }

  @AfterAll
  static void forget() throws Exception {
    System.setProperty("diffulab.prefsNode", "");
    Preferences.userRoot().node(NODE).removeNode();
  }

  @Test
  void sizePositionAndWorkspaceAreRestoredAtTheNextStart() throws Exception {
    interact(() -> {
      stage.setWidth(1000);
      stage.setHeight(700);
      stage.setX(30);
      stage.setY(40);
      lookup("#workspaces").queryAs(TabPane.class).getSelectionModel().select(2);
    });
    interact(() -> app.stop());
    app = null;
    AtomicReference<Stage> second = new AtomicReference<>();
    AtomicReference<DiffuLabApp> again = new AtomicReference<>();
    interact(() -> {
      second.set(new Stage());
      again.set(new DiffuLabApp());
      again.get().start(second.get());
    });
    try {
      Stage s = second.get();
      assertEquals(1000, s.getWidth(), 0.5);
      assertEquals(700, s.getHeight(), 0.5);
      assertEquals(30, s.getX(), 0.5);
      assertEquals(40, s.getY(), 0.5);
      TabPane tabs = (TabPane) s.getScene().lookup("#workspaces");
      assertEquals("Denoise", tabs.getSelectionModel().getSelectedItem().getText());
    } finally {
      interact(() -> {
        again.get().stop();
        second.get().close();
      });
    }
  }
}
