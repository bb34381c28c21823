package dev.diffulab.ui.shell;

import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.TabPane;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The window as it was left: size, position, maximised state and workspace, kept in the user's
 * preferences ({@link dev.diffulab.ui.common.UserPrefs#node()}). A saved position that no
 * screen shows any more (a monitor unplugged) is not used.
 */
final class WindowPrefs {
  private static final String X = "window.x";
  private static final String Y = "window.y";
  private static final String WIDTH = "window.width";
  private static final String HEIGHT = "window.height";
  private static final String MAXIMIZED = "window.maximized";
  private static final String WORKSPACE = "window.workspace";

  private WindowPrefs() {
  }

  static Optional<Preferences> node() {
    return dev.diffulab.ui.common.UserPrefs.node();
  }

  /** Puts the window where it was and selects the workspace it showed. */
  static void restore(Stage stage, TabPane tabs) {
    node().ifPresent(p -> {
      double w = p.getDouble(WIDTH, -1);
      double h = p.getDouble(HEIGHT, -1);
      if (w >= stage.getMinWidth() && h >= stage.getMinHeight()) {
        stage.setWidth(w);
        stage.setHeight(h);
      }
      double x = p.getDouble(X, Double.NaN);
      double y = p.getDouble(Y, Double.NaN);
      if (!Double.isNaN(x) && !Double.isNaN(y) && w > 0 && h > 0
          && !Screen.getScreensForRectangle(new Rectangle2D(x, y, Math.min(w, 200),
              Math.min(h, 100))).isEmpty()) {
        stage.setX(x);
        stage.setY(y);
      }
      stage.setMaximized(p.getBoolean(MAXIMIZED, false));
      int tab = p.getInt(WORKSPACE, 0);
      if (tab >= 0 && tab < tabs.getTabs().size()) {
        tabs.getSelectionModel().select(tab);
      }
    });
  }

  /** Keeps the window's size, position (of the unmaximised window) and workspace. */
  static void save(Stage stage, TabPane tabs) {
    node().ifPresent(p -> {
      p.putBoolean(MAXIMIZED, stage.isMaximized());
      if (!stage.isMaximized() && !stage.isIconified()) {
        p.putDouble(X, stage.getX());
        p.putDouble(Y, stage.getY());
        p.putDouble(WIDTH, stage.getWidth());
        p.putDouble(HEIGHT, stage.getHeight());
      }
      p.putInt(WORKSPACE, tabs.getSelectionModel().getSelectedIndex());
      try {
        p.flush();
      } catch (BackingStoreException e) {
        // preferences are a convenience: the window opens at its default size next time
      }
    });
  }
}
