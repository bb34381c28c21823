package dev.diffulab.ui.shell;

import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.RecentCheckpoints;
import dev.diffulab.ui.common.UserPrefs;
import dev.diffulab.ui.common.UserPrefs.Recent;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * File → Open Recent: the corpora, tokenizers, configs and checkpoints opened lately (those that
 * still exist), each opening as its File menu item would. Read each time the menu opens.
 */
final class RecentMenu {
  private final Menu menu = new Menu("Open _Recent");
  private final AppSession session;
  private final TrainWorkspaceView train;

  RecentMenu(AppSession session, TrainWorkspaceView train) {
    this.session = session;
    this.train = train;
    menu.setId("recentMenu");
    menu.setOnShowing(e -> rebuild());
    rebuild();
  }

  Menu menu() {
    return menu;
  }

  private void rebuild() {
    menu.getItems().clear();
    var config = train.model().config();
    section("Corpora", "recentCorpus", UserPrefs.recent(Recent.CORPUS), config::useCorpus);
    section("Tokenizers", "recentTokenizer", UserPrefs.recent(Recent.TOKENIZER),
        config::useTokenizer);
    section("Configs", "recentConfig", UserPrefs.recent(Recent.CONFIG), train::openConfig);
    section("Checkpoints", "recentCheckpoint", RecentCheckpoints.list(), session::openCheckpoint);
    MenuItem clear = new MenuItem("Clear the lists");
    clear.setId("clearRecentItem");
    clear.setOnAction(e -> {
      for (Recent r : Recent.values()) {
        UserPrefs.clear(r);
      }
    });
    menu.getItems().addAll(new SeparatorMenuItem(), clear);
  }

  private void section(String title, String id, List<Path> files, Consumer<Path> open) {
    if (!menu.getItems().isEmpty()) {
      menu.getItems().add(new SeparatorMenuItem());
    }
    MenuItem header = new MenuItem(title + (files.isEmpty() ? ": none yet" : ""));
    header.setDisable(true);
    menu.getItems().add(header);
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      MenuItem m = new MenuItem(f.getFileName() + "  —  " + f.toAbsolutePath().getParent());
      m.setMnemonicParsing(false);
      m.setId(id + i);
      m.setOnAction(e -> open.accept(f));
      menu.getItems().add(m);
    }
  }
}
