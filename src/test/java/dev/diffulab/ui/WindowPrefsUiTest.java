package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The window comes back as it was left: size, position and workspace, from a test node. */
class WindowPrefsUiTest extends AppUiTest {
  private static final String NODE = "dev/diffulab-test-" + ProcessHandle.current().pid();

  @Override
  public void start(Stage stage) {
    usePrefs(NODE);
    super.start(stage);
  }

  @AfterAll
  static void forget() throws Exception {
    forgetPrefs(NODE);
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
    Restarted again = restart();
    try {
      Stage s = again.stage();
      assertEquals(1000, s.getWidth(), 0.5);
      assertEquals(700, s.getHeight(), 0.5);
      assertEquals(30, s.getX(), 0.5);
      assertEquals(40, s.getY(), 0.5);
      TabPane tabs = (TabPane) s.getScene().lookup("#workspaces");
      assertEquals("Denoise", tabs.getSelectionModel().getSelectedItem().getText());
    } finally {
      stopAgain(again);
    }
  }
}
