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

  /** A second window of the app, started as the next session would be. */
  protected record Restarted(Stage stage, DiffuLabApp app) {
  }

  /**
   * Stops the running app (as quitting would: its preferences are written) and starts it again
   * in a new window; {@link #stopAgain} closes that one.
   */
  protected Restarted restart() {
    return restartWith(() -> {
    });
  }

  /** As {@link #restart()}, running {@code between} on the FX thread before the new start. */
  protected Restarted restartWith(Runnable between) {
    interact(() -> app.stop());
    app = null;
    interact(between::run);
    Restarted[] r = new Restarted[1];
    interact(() -> {
      Stage s = new Stage();
      DiffuLabApp a = new DiffuLabApp();
      a.start(s);
      r[0] = new Restarted(s, a);
    });
    return r[0];
  }

  protected void stopAgain(Restarted r) {
    interact(() -> {
      r.app().stop();
      r.stage().close();
    });
  }

  /**
   * Makes Quick test train a tiny model ({@code steps} steps of a 1-layer, 32-wide model on 300
   * stories: seconds, not minutes) into a fresh runs folder; returns the folder holding both.
   * Undone by {@link #clearTinyQuickTest}.
   */
  protected static java.nio.file.Path useTinyQuickTest(String name, int steps)
      throws java.io.IOException {
    return useQuickTest("diffulab.quickTestConfig", name, """
        {"name": "%s", "method": "masked", "device": "cpu", "seed": 2,
         "model": {"d_model": 32, "layers": 1, "heads": 2, "ffn": 64, "seq_len": 64},
         "data": {"tinytales_stories": 300},
         "train": {"steps": %d, "batch_size": 8, "eval_every": 0, "sample_every": 0,
                   "log_every": 5}}
        """.formatted(name, steps));
  }

  protected static void clearTinyQuickTest() {
    clearQuickTest("diffulab.quickTestConfig");
  }

  /**
   * Makes the Quick test button that {@code property} overrides (one family and task's, as
   * {@code ShippedConfigs} names them) run {@code json}, into a fresh runs folder; returns the
   * folder holding both. Undone by {@link #clearQuickTest}.
   */
  protected static java.nio.file.Path useQuickTest(String property, String name, String json)
      throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("diffulab-" + name);
    java.nio.file.Path quick = dir.resolve("quick.json");
    java.nio.file.Files.writeString(quick, json);
    System.setProperty(property, quick.toString());
    System.setProperty("diffulab.runsDir", dir.resolve("runs").toString());
    return dir;
  }

  protected static void clearQuickTest(String property) {
    System.clearProperty(property);
    System.clearProperty("diffulab.runsDir");
  }

  /** The menu item (or menu) with {@code id} anywhere in {@code stage}'s menu bar. */
  protected static javafx.scene.control.MenuItem menuItem(Stage stage, String id) {
    var bar = (javafx.scene.control.MenuBar) stage.getScene().lookup("#menuBar");
    for (javafx.scene.control.Menu m : bar.getMenus()) {
      javafx.scene.control.MenuItem found = find(m, id);
      if (found != null) {
        return found;
      }
    }
    throw new AssertionError("no menu item " + id);
  }

  private static javafx.scene.control.MenuItem find(javafx.scene.control.MenuItem item,
      String id) {
    if (id.equals(item.getId())) {
      return item;
    }
    if (item instanceof javafx.scene.control.Menu menu) {
      for (javafx.scene.control.MenuItem i : menu.getItems()) {
        javafx.scene.control.MenuItem found = find(i, id);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** Runs the app on its own preference node (removed with {@link #forgetPrefs}). */
  protected static void usePrefs(String node) {
    System.setProperty("diffulab.prefsNode", node);
  }

  protected static void forgetPrefs(String node) throws Exception {
    System.setProperty("diffulab.prefsNode", "");
    java.util.prefs.Preferences.userRoot().node(node).removeNode();
  }

  @AfterEach
  void closeApp() {
    if (app != null) {
      interact(() -> app.stop());
    }
  }
}
