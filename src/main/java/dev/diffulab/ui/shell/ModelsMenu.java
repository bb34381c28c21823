package dev.diffulab.ui.shell;

import dev.diffulab.core.checkpoint.DemoModels;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.RecentCheckpoints;
import dev.diffulab.ui.train.RunHistory;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * The Models menu: the demo models DiffuLab ships, the runs of this session and the checkpoints
 * opened lately. Each can be opened as the model of Masking and Denoise, or as model B of the
 * Denoise comparison. The lists are read each time the menu opens.
 */
final class ModelsMenu {
  private final AppSession session;
  private final Supplier<List<RunHistory.Run>> runs;
  private final Menu menu = new Menu("_Models");
  private final Runnable showText;
  private final java.util.function.Consumer<String> openImageDemo;

  /**
   * @param showText brings the text workspaces forward (a text model opens there)
   * @param openImageDemo opens a shipped image model in the image workspaces
   */
  ModelsMenu(AppSession session, Supplier<List<RunHistory.Run>> runs, MenuItem openCheckpoint,
      Runnable showText, java.util.function.Consumer<String> openImageDemo) {
    this.session = session;
    this.runs = runs;
    this.showText = showText;
    this.openImageDemo = openImageDemo;
    menu.setId("modelsMenu");
    menu.setOnShowing(e -> rebuild(openCheckpoint));
    rebuild(openCheckpoint);
  }

  Menu menu() {
    return menu;
  }

  private void rebuild(MenuItem openCheckpoint) {
    menu.getItems().clear();
    menu.getItems().add(header("Shipped models"));
    List<String> demos = DemoModels.available();
    if (demos.isEmpty()) {
      menu.getItems().add(header("  none in this build"));
    }
    for (String name : demos) {
      String label;
      try {
        label = DemoModels.label(name);
      } catch (RuntimeException e) {
        label = name + " (unreadable: " + e.getMessage() + ")";
      }
      menu.getItems().add(entry("demo-" + name, label,
          () -> session.openDemo(name), () -> session.openCompareDemo(name)));
    }
    for (String name : DemoModels.availableImages()) {
      MenuItem image = new MenuItem(name + " · Gaussian diffusion on FashionMNIST (opens the"
          + " image workspaces)");
      image.setId("demo-" + name);
      image.setMnemonicParsing(false);
      image.setOnAction(e -> guard(() -> openImageDemo.accept(name)));
      menu.getItems().add(image);
    }
    List<RunHistory.Run> finished = runs.get().stream()
        .filter(r -> r.checkpoint() != null).toList();
    menu.getItems().addAll(new SeparatorMenuItem(), header("This session's runs"));
    if (finished.isEmpty()) {
      menu.getItems().add(header("  none yet: a run's checkpoint appears here"));
    }
    for (RunHistory.Run r : finished) {
      menu.getItems().add(entry("run-" + r.id(), r.describe(),
          () -> session.openCheckpoint(r.checkpoint()),
          () -> session.openCompareCheckpoint(r.checkpoint())));
    }
    List<Path> recent = RecentCheckpoints.list();
    menu.getItems().addAll(new SeparatorMenuItem(), header("Recent checkpoints"));
    if (recent.isEmpty()) {
      menu.getItems().add(header("  none yet"));
    }
    for (Path p : recent) {
      menu.getItems().add(entry("recent-" + p.getFileName(), p.toString(),
          () -> session.openCheckpoint(p), () -> session.openCompareCheckpoint(p)));
    }
    menu.getItems().addAll(new SeparatorMenuItem(), openCheckpoint);
  }

  private static MenuItem header(String text) {
    MenuItem m = new MenuItem(text);
    m.setDisable(true);
    m.setMnemonicParsing(false);
    return m;
  }

  /** One model: a submenu with "Open" and "Compare with it (B)". */
  private Menu entry(String id, String label, Runnable open, Runnable compare) {
    MenuItem o = new MenuItem("Open in Masking and Denoise");
    o.setId("open-" + id);
    o.setOnAction(e -> guard(() -> {
      showText.run();
      open.run();
    }));
    MenuItem c = new MenuItem("Compare with it in Denoise (model B)");
    c.setId("compare-" + id);
    c.setOnAction(e -> guard(() -> {
      showText.run();
      compare.run();
    }));
    Menu m = new Menu(label, null, o, c);
    m.setMnemonicParsing(false);
    m.setId(id);
    return m;
  }

  private static void guard(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      Errors.show("Opening a model", e);
    }
  }
}
