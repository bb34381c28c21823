package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.common.Notices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * When a run's checkpoint can go nowhere — its folder, the folder beside it, the rescue folder
 * and the temporary folder all refuse it — the window asks where to save the trained model (the
 * save dialog, replaced here by a stand-in that answers a folder) and the run ends with it there.
 */
class RescueUiTest extends AppUiTest {
  private static Path dir;

  @BeforeAll
  static void tinyQuickTest() throws Exception {
    dir = useTinyQuickTest("rescue", 60);
  }

  @AfterAll
  static void clearProperties() {
    clearTinyQuickTest();
    System.clearProperty("diffulab.rescueDir");
  }

  @Test
  void aCheckpointThatCanGoNowhereIsSavedWhereThePersonSays() throws Exception {
    Path chosen = Files.createDirectories(dir.resolve("chosen"));
    Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
    List<String> asked = new CopyOnWriteArrayList<>();
    app.session().setSaveChooser(problem -> {
      assertTrue(Platform.isFxApplicationThread(), "the dialog is shown on the FX thread");
      asked.add(problem);
      return chosen;
    });
    var run = app.shell().train().model();
    clickOn("#quickTestButton");
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> run.stepTextProperty().get()
        .matches("Step [1-9].*"));
    String tmp = System.getProperty("java.io.tmpdir");
    try {
      // everything the run could write to goes away
      System.setProperty("diffulab.rescueDir", blocker.resolve("rescued").toString());
      System.setProperty("java.io.tmpdir", blocker.resolve("tmp").toString());
      Path runs = dir.resolve("runs");
      try (var files = Files.walk(runs)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      Files.writeString(runs, "not a folder any more");
      WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !run.runningProperty().get());
    } finally {
      System.setProperty("java.io.tmpdir", tmp);
    }
    assertEquals(1, asked.size(), asked.toString());
    assertTrue(asked.get(0).contains("could not be saved"), asked.get(0));
    Path saved = chosen.resolve(run.runId() + "-rescued");
    assertTrue(Files.isRegularFile(saved.resolve("manifest.json")), "saved at " + saved);
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(Notices.recent().stream().anyMatch(n -> n.text().contains(saved.toString())),
        Notices.recent().toString());
  }
}
