package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.train.TrainWorkspaceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Bad input reached from the window — a damaged tokenizer, config or checkpoint, a dropped file
 * that is no corpus, a save to a place that cannot be written, a run too big for the memory —
 * gives one clear message naming the file or key, and the window goes on showing exactly what it
 * showed before: the corpus card, the settings, the model label.
 */
class BadInputUiTest extends AppUiTest {
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @TempDir
  Path dir;

  @Override
  protected void started() {
    Errors.setDisplay(errors::add);
  }

  private TrainWorkspaceView view() {
    return lookup("#trainWorkspace").queryAs(TrainWorkspaceView.class);
  }

  private String one() throws Exception {
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !errors.isEmpty());
    WaitForAsyncUtils.waitForFxEvents();
    Thread.sleep(300); // a second message would have arrived by now
    assertEquals(1, errors.size(), errors.toString());
    return errors.remove(0);
  }

  @Test
  void damagedFilesAreRefusedAndWhatWasOpenStaysShown() throws Exception {
    Label documents = lookup("#documentsLabel").queryAs(Label.class);
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !documents.getText().equals("–"));
    String shown = documents.getText();
    var config = view().model().config();
    String corpus = config.value("data.corpus").get();
    String tokenizer = config.value("data.tokenizer").get();

    Path badTokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 12");
    interact(() -> view().acceptFiles(List.of(badTokenizer)));
    String m = one();
    assertTrue(m.contains("tokenizer.json"), m);
    assertEquals(tokenizer, config.value("data.tokenizer").get());

    Path badConfig = Files.writeString(dir.resolve("run.json"),
        "{\"name\": \"x\", \"train\": {\"steps\": -3}}");
    String steps = config.value("train.steps").get();
    interact(() -> view().openConfig(badConfig));
    m = one();
    assertTrue(m.contains("run.json") && m.contains("train.steps"), m);
    assertEquals(steps, config.value("train.steps").get(), "the settings are untouched");

    Path binary = dir.resolve("noise.txt");
    byte[] bytes = new byte[4096];
    new java.util.Random(5).nextBytes(bytes);
    Files.write(binary, bytes);
    interact(() -> view().acceptFiles(List.of(binary)));
    m = one();
    assertTrue(m.contains("noise.txt"), m);
    assertEquals(corpus, config.value("data.corpus").get());
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> documents.getText().equals(shown));

    Label model = lookup("#maskModelLabel").queryAs(Label.class);
    String before = model.getText();
    Path notACheckpoint = Files.createDirectories(dir.resolve("ckpt"));
    Files.writeString(notACheckpoint.resolve("manifest.json"), "{\"step\": \"garbage\"}");
    interact(() -> app.session().openCheckpoint(notACheckpoint));
    m = one();
    assertTrue(m.contains("ckpt"), m);
    assertEquals(before, model.getText(), "the model label still names what is open");
  }

  @Test
  void savingWhereNothingCanBeWrittenSaysSoAndKeepsTheSettings() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path inside = file.resolve("config.json"); // under a file: cannot be created
    interact(() -> view().saveConfig(inside));
    String m = one();
    assertTrue(m.contains("a-file"), m);
    assertFalse(Files.isDirectory(file));
  }

  @Test
  void aRunTooBigForTheMemoryIsRefusedBeforeItStartsNamingTheLargestPart() throws Exception {
    System.setProperty("diffulab.availableMemoryMb", "40");
    try {
      clickOn("#quickTestButton");
      String m = one();
      assertTrue(m.contains("memory") && m.contains("largest part"), m);
      WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
          () -> !view().model().runningProperty().get());
      assertTrue(lookup("#quickTestButton").query().isVisible());
      assertFalse(lookup("#quickTestButton").query().isDisabled(), "the app stays usable");
    } finally {
      System.clearProperty("diffulab.availableMemoryMb");
    }
  }
}
