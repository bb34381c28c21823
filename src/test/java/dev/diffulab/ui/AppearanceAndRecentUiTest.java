package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.Notices;
import dev.diffulab.ui.common.RecentCheckpoints;
import dev.diffulab.ui.common.UserPrefs.Recent;
import dev.diffulab.ui.common.UserPrefs;
import dev.diffulab.ui.theme.Appearance;
import dev.diffulab.ui.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The View menu's theme and text size re-colour and re-size the window (charts and the heatmap
 * included) and come back at the next start; File → Open Recent reopens what was opened lately,
 * checkpoints included.
 * Preferences go to a node of this test's own.
 */
class AppearanceAndRecentUiTest extends AppUiTest {
  private static final String NODE = "dev/diffulab-test-appearance-" + ProcessHandle.current()
      .pid();

  @TempDir
  Path dir;

  @Override
  public void start(Stage stage) {
    usePrefs(NODE);
    super.start(stage);
  }

  @AfterEach
  void lightAgain() {
    interact(() -> {
      Appearance.setTheme(Theme.LIGHT);
      Appearance.setFontSize(Appearance.DEFAULT_FONT);
    });
  }

  @AfterAll
  static void forget() throws Exception {
    forgetPrefs(NODE);
  }

  @Test
  void darkThemeAndLargerTextRecolourTheChartsAndComeBackAtTheNextStart() throws Exception {
    LiveLineChart loss = lookup("#lossChart").queryAs(LiveLineChart.class);
    assertEquals(Theme.awt(Theme.LIGHT.chartBackground), loss.chart().getBackgroundPaint());
    interact(() -> item("themeDark").fire());
    assertEquals(Theme.awt(Theme.DARK.chartBackground), loss.chart().getBackgroundPaint(),
        "the chart is re-coloured at once");
    assertEquals(Theme.awt(Theme.DARK.text), loss.chart().getTitle().getPaint());
    assertTrue(stage.getScene().getStylesheets().stream()
        .anyMatch(s -> s.endsWith("diffulab-dark.css")));
    Label status = lookup("#statusMessage").queryAs(Label.class);
    double before = status.getFont().getSize();
    interact(() -> {
      item("fontBiggerItem").fire();
      item("fontBiggerItem").fire();
    });
    interact(() -> stage.getScene().getRoot().applyCss());
    assertEquals(Appearance.DEFAULT_FONT + 2, Appearance.fontSize());
    assertTrue(status.getFont().getSize() > before, "the whole window's text grew");
    assertEquals(Appearance.DEFAULT_FONT + 1, loss.chart().getTitle().getFont().getSize() - 1,
        "the charts' text follows the size");

    // the next start comes back dark and large
    Restarted again = restartWith(() -> {
      Appearance.setTheme(Theme.LIGHT);
      Appearance.setFontSize(Appearance.DEFAULT_FONT);
    });
    try {
      assertEquals(Theme.DARK, Appearance.theme());
      assertEquals(Appearance.DEFAULT_FONT + 2, Appearance.fontSize());
      assertTrue(again.stage().getScene().getStylesheets().stream()
          .anyMatch(s -> s.endsWith("diffulab-dark.css")));
      interact(() -> menuItem(again.stage(), "themeLight").fire());
      assertFalse(again.stage().getScene().getStylesheets().stream()
          .anyMatch(s -> s.endsWith("diffulab-dark.css")));
    } finally {
      stopAgain(again);
    }
  }

  @Test
  void openRecentReopensACorpusAndForgetsFilesThatAreGone() throws Exception {
    Path kept = dir.resolve("kept.txt");
    Path gone = dir.resolve("gone.txt");
    Files.writeString(kept, "Once upon a time, there was a cat. The cat sat.\n\nTom ran home.\n");
    Files.writeString(gone, "A story.\n");
    UserPrefs.remember(Recent.CORPUS, gone);
    UserPrefs.remember(Recent.CORPUS, kept);
    Files.delete(gone);
    assertEquals(List.of(kept.toAbsolutePath()), UserPrefs.recent(Recent.CORPUS));
    Menu recent = (Menu) item("recentMenu");
    interact(() -> recent.show());
    MenuItem first = item("recentCorpus0");
    assertTrue(first.getText().startsWith("kept.txt"), first.getText());
    assertTrue(recent.getItems().stream().noneMatch(i -> "recentCorpus1".equals(i.getId())),
        "a file that is gone is not offered");
    interact(() -> {
      recent.hide();
      first.fire();
    });
    var config = app.shell().train().model().config();
    assertEquals(kept.toString(), config.value("data.corpus").get());
  }

  @Test
  void anOpenedCheckpointIsOfferedUntilItsFolderIsGoneAndTheOldListIsTakenOver() throws Exception {
    // a list kept by an earlier version is taken over once
    Path old = dir.resolve("recent-checkpoints.txt");
    Path older = dir.resolve("older");
    copyCheckpoint(dev.diffulab.core.checkpoint.DemoModels.folder("demo"), older);
    Files.writeString(old, older + "\n");
    String was = System.getProperty("diffulab.recentFile");
    System.setProperty("diffulab.recentFile", old.toString());
    try {
      assertEquals(List.of(older.toAbsolutePath()), RecentCheckpoints.list());
    } finally {
      System.setProperty("diffulab.recentFile", was == null ? "" : was);
    }
    Path ckpt = dir.resolve("mine");
    copyCheckpoint(dev.diffulab.core.checkpoint.DemoModels.folder("demo"), ckpt);
    app.session().openCheckpoint(ckpt).get(60, java.util.concurrent.TimeUnit.SECONDS);
    org.testfx.util.WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS,
        () -> RecentCheckpoints.list().equals(List.of(ckpt.toAbsolutePath(),
            older.toAbsolutePath())));
    Menu recent = (Menu) item("recentMenu");
    interact(() -> recent.show());
    assertTrue(item("recentCheckpoint0").getText().startsWith("mine"),
        item("recentCheckpoint0").getText());
    interact(() -> recent.hide());
    // a folder that no longer holds a checkpoint is not offered
    Files.delete(ckpt.resolve("manifest.json"));
    assertEquals(List.of(older.toAbsolutePath()), RecentCheckpoints.list());
    interact(() -> item("clearRecentItem").fire());
    assertEquals(List.of(), RecentCheckpoints.list(), "Clear the lists forgets checkpoints too");
  }

  private static void copyCheckpoint(Path from, Path to) throws java.io.IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  @Test
  void anExportSavedIsNoticedWithItsFolder() throws Exception {
    int before = Notices.recent().size();
    Path file = dir.resolve("view.png");
    interact(() -> Notices.saved(file));
    Notices.Notice n = Notices.recent().get(Notices.recent().size() - 1);
    assertEquals(before + 1, Notices.recent().size());
    assertEquals("view.png", n.text());
    assertEquals(dir.toAbsolutePath(), n.folder());
    assertTrue(lookup("#statusMessage").queryAs(Label.class).getText().contains("view.png"));
    org.testfx.util.WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS,
        () -> lookup((javafx.scene.control.ButtonBase b) -> "Open folder".equals(b.getText()))
            .tryQuery().isPresent());
  }

  private MenuItem item(String id) {
    return menuItem(stage, id);
  }
}
