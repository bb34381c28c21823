package dev.diffulab.ui;

import dev.diffulab.ui.shell.DiffuLabApp;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.testfx.framework.junit5.ApplicationTest;

/** A test of the whole window: the real app starts before each test and stops after it. */
abstract class AppUiTest extends ApplicationTest {
  /** The running app; a test that stops it itself sets this to null. */
  protected DiffuLabApp app;
  protected Stage stage;

  @Override
  public void start(Stage stage) {
    this.stage = stage;
    app = new DiffuLabApp();
    app.start(stage);
    started();
  }

  /** Runs once the window is up, before the test. */
  protected void started() {
  }

  @AfterEach
  void closeApp() {
    if (app != null) {
      interact(() -> app.stop());
    }
  }
}
