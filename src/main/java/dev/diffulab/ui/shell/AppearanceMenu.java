package dev.diffulab.ui.shell;

import dev.diffulab.ui.common.UserPrefs;
import dev.diffulab.ui.theme.Appearance;
import dev.diffulab.ui.theme.Theme;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;

/**
 * The appearance items of the View menu: light or dark theme, and a font size that scales the
 * whole window (bigger, smaller, back to normal). Every choice is kept for the next session.
 */
final class AppearanceMenu {
  private AppearanceMenu() {
  }

  static java.util.List<MenuItem> items() {
    ToggleGroup group = new ToggleGroup();
    Menu theme = new Menu("_Theme");
    theme.setId("themeMenu");
    for (Theme t : Theme.values()) {
      RadioMenuItem r = new RadioMenuItem(t.toString());
      r.setId("theme" + t.toString());
      r.setToggleGroup(group);
      r.setSelected(Appearance.theme() == t);
      r.setOnAction(e -> {
        Appearance.setTheme(t);
        UserPrefs.saveAppearance();
      });
      theme.getItems().add(r);
    }
    Appearance.themeProperty().addListener((o, a, t) -> group.getToggles().forEach(
        g -> g.setSelected(((RadioMenuItem) g).getId().equals("theme" + t))));
    MenuItem bigger = font("Bigger text", "fontBiggerItem", "Shortcut+EQUALS", +1);
    MenuItem smaller = font("Smaller text", "fontSmallerItem", "Shortcut+MINUS", -1);
    MenuItem normal = new MenuItem("Normal text size");
    normal.setId("fontNormalItem");
    normal.setAccelerator(KeyCombination.keyCombination("Shortcut+0"));
    normal.setOnAction(e -> {
      Appearance.setFontSize(Appearance.DEFAULT_FONT);
      UserPrefs.saveAppearance();
    });
    return java.util.List.of(new SeparatorMenuItem(), theme, bigger, smaller, normal);
  }

  private static MenuItem font(String text, String id, String accelerator, int delta) {
    MenuItem m = new MenuItem(text);
    m.setId(id);
    m.setAccelerator(KeyCombination.keyCombination(accelerator));
    m.setOnAction(e -> {
      Appearance.setFontSize(Appearance.fontSize() + delta);
      UserPrefs.saveAppearance();
    });
    return m;
  }
}
