package dev.diffulab.ui.denoise;

import java.util.function.BooleanSupplier;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * What the windows beside Denoise (frontier, accuracy by steps, comparison) share: owned by the
 * main window and styled as it is; Escape cancels the measurement running in it, or closes it
 * when none runs; closing it cancels what runs.
 */
final class SideWindow {
  private SideWindow() {
  }

  /**
   * Sets {@code root} as {@code stage}'s scene ({@code width} × {@code height}), owned by
   * {@code owner}, with the Escape and closing rules above.
   */
  static void dress(Stage stage, Window owner, String title, Parent root, double width,
      double height, BooleanSupplier busy, Runnable cancel) {
    stage.initOwner(owner);
    stage.setTitle(title);
    Scene scene = new Scene(root, width, height);
    if (owner != null && owner.getScene() != null) {
      scene.getStylesheets().setAll(owner.getScene().getStylesheets());
    }
    scene.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
      if (e.getCode() == KeyCode.ESCAPE) {
        if (busy.getAsBoolean()) {
          cancel.run();
        } else {
          stage.close();
        }
      }
    });
    stage.setScene(scene);
    stage.setOnHidden(e -> cancel.run());
  }

  /** A label that is never elided, naming {@code field} for keyboard users. */
  static Label label(String text, Node field) {
    Label l = new Label(text);
    l.setMinWidth(Region.USE_PREF_SIZE);
    l.setLabelFor(field);
    return l;
  }
}
