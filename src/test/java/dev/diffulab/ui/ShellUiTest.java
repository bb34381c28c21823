package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

class ShellUiTest extends AppUiTest {
  @Test
  void windowOpensWithThreeWorkspacesAndTheStatusBarReachesReadyNamingTheDevice()
      throws Exception {
    assertEquals("DiffuLab", stage.getTitle());
    assertNotNull(lookup("#trainWorkspace").query());
    TabPane tabs = lookup("#workspaces").queryAs(TabPane.class);
    assertEquals(java.util.List.of("Train", "Masking", "Denoise"),
        tabs.getTabs().stream().map(t -> t.getText()).toList());
    clickOn("#maskingTab");
    assertTrue(lookup("#maskingWorkspace").query().isVisible());
    clickOn("#denoiseTab");
    assertTrue(lookup("#denoiseWorkspace").query().isVisible());

    StatusBar bar = lookup("#statusBar").queryAs(StatusBar.class);
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> bar.getText().equals("Ready"));
    String device = lookup("#deviceLabel").queryAs(Label.class).getText();
    assertTrue(device.startsWith("Device: CPU"), device);
    assertTrue(lookup("#versionsLabel").queryAs(Label.class).getText().contains("PyTorch"));
    assertTrue(lookup("#memoryLabel").queryAs(Label.class).getText().matches("Memory \\d+ MB"));
  }

  @Test
  void theEmbeddedCorpusStatisticsAppearOnTheTrainWorkspace() throws Exception {
    Label docs = lookup("#documentsLabel").queryAs(Label.class);
    Label entropy = lookup("#unigramEntropyLabel").queryAs(Label.class);
    // the card's labels are set one after another on the FX thread: wait for the last of them
    WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !entropy.getText().equals("–"));
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals("20,000", docs.getText());
    assertEquals("0.00 %", lookup("#unknownRateLabel").queryAs(Label.class).getText());
    assertFalse(entropy.getText().isEmpty());
  }
}
