package dev.diffulab.ui.theme;

import java.util.Objects;
import javafx.beans.InvalidationListener;
import javafx.beans.WeakInvalidationListener;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;

/**
 * The theme and font size of the whole application, on the FX thread. A scene {@link #attach}ed
 * follows both; what draws its own colours (charts, the heatmap) registers with {@link #follow}
 * and is told on every change. The font size scales everything sized in {@code em}, which is
 * every size in DiffuLab's stylesheets.
 */
public final class Appearance {
  /** The font sizes offered, in pixels; 13 is the default. */
  public static final int MIN_FONT = 10;
  public static final int MAX_FONT = 22;
  public static final int DEFAULT_FONT = 13;
  private static final String BASE = "/assets/diffulab.css";

  private static final ObjectProperty<Theme> THEME = new SimpleObjectProperty<>(Theme.LIGHT);
  private static final IntegerProperty FONT = new SimpleIntegerProperty(DEFAULT_FONT);

  private Appearance() {
  }

  public static ObjectProperty<Theme> themeProperty() {
    return THEME;
  }

  public static Theme theme() {
    return THEME.get();
  }

  public static void setTheme(Theme theme) {
    THEME.set(Objects.requireNonNull(theme));
  }

  public static IntegerProperty fontSizeProperty() {
    return FONT;
  }

  public static int fontSize() {
    return FONT.get();
  }

  /** Sets the font size, clamped to {@link #MIN_FONT} … {@link #MAX_FONT}. */
  public static void setFontSize(int px) {
    FONT.set(Math.clamp(px, MIN_FONT, MAX_FONT));
  }

  /** Makes {@code scene} follow the theme and font size from now on. */
  public static void attach(Scene scene) {
    InvalidationListener apply = o -> apply(scene);
    scene.getProperties().put(Appearance.class, apply); // kept as long as the scene is
    THEME.addListener(new WeakInvalidationListener(apply));
    FONT.addListener(new WeakInvalidationListener(apply));
    apply(scene);
  }

  /** Gives a dialog the current theme and font size (dialogs have scenes of their own). */
  public static void style(javafx.scene.control.DialogPane pane) {
    stylesheets(pane.getStylesheets());
    pane.setStyle("-fx-font-size: " + fontSize() + "px;");
  }

  private static void apply(Scene scene) {
    stylesheets(scene.getStylesheets());
    if (scene.getRoot() != null) {
      scene.getRoot().setStyle("-fx-font-size: " + fontSize() + "px;");
    }
  }

  private static void stylesheets(java.util.List<String> sheets) {
    sheets.removeIf(s -> s.contains("/assets/diffulab"));
    sheets.add(Objects.requireNonNull(Appearance.class.getResource(BASE)).toExternalForm());
    String extra = theme().stylesheet();
    if (extra != null) {
      sheets.add(Objects.requireNonNull(Appearance.class.getResource(extra)).toExternalForm());
    }
  }

  /**
   * Calls {@code redraw} on every change of theme or font size for as long as the caller keeps
   * the returned listener (in a field): this class holds it weakly, so a chart that is gone is not
   * kept alive by it.
   */
  public static InvalidationListener follow(Runnable redraw) {
    InvalidationListener l = o -> redraw.run();
    THEME.addListener(new WeakInvalidationListener(l));
    FONT.addListener(new WeakInvalidationListener(l));
    return l;
  }
}
