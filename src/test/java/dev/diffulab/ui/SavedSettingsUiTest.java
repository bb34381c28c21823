package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.diffulab.core.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Train settings of one session are those of the next. */
class SavedSettingsUiTest extends AppUiTest {
  private static Path file;

  @BeforeAll
  static void lastSessionsSettings() throws Exception {
    Path dir = Files.createTempDirectory("diffulab-saved");
    file = dir.resolve("train-settings.json");
    String saved = RunConfig.load(Path.of("sample-configs/quick-test.json")).toJson()
        .replace("\"steps\": 2400", "\"steps\": 321")
        .replace("\"method\": \"masked\"", "\"method\": \"cdcd\"");
    Files.writeString(file, saved);
    System.setProperty("diffulab.settingsFile", file.toString());
    System.setProperty("diffulab.runsDir", dir.resolve("runs").toString());
  }

  @AfterAll
  static void keepNothingAgain() {
    System.setProperty("diffulab.settingsFile", ""); // as the build runs every other test
    System.clearProperty("diffulab.runsDir");
  }

  @Test
  void theAppOpensWithTheLastSettingsAndKeepsTheNewOnesWhenItCloses() throws Exception {
    TextField steps = lookup("#config-train-steps").queryAs(TextField.class);
    assertEquals("321", steps.getText(), "last session's settings");
    assertEquals(dev.diffulab.core.config.Method.CDCD,
        lookup("#methodChoice").queryAs(javafx.scene.control.ChoiceBox.class)
            .getValue(),
        "the method selector shows the restored method");
    interact(() -> steps.setText("654"));
    interact(() -> app.stop());
    app = null;
    assertEquals(654, RunConfig.load(file).train().steps());
  }
}
