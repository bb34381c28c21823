package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Help: every control of the three workspaces explains itself in a tooltip, F1 opens the
 * Concepts page with its figures, and the first-start guide points at the three workspaces until
 * it is closed, and comes back from the Help menu.
 */
class HelpUiTest extends AppUiTest {
  private static final String NODE = "dev/diffulab-test-help-" + ProcessHandle.current().pid();

  @Override
  public void start(Stage stage) {
    usePrefs(NODE);
    super.start(stage);
  }

  @AfterAll
  static void forget() throws Exception {
    forgetPrefs(NODE);
  }

  @Test
  void everyControlOfTheWorkspacesHasATooltip() {
    TabPane tabs = lookup("#workspaces").queryAs(TabPane.class);
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (int k = 0; k < tabs.getTabs().size(); k++) {
      int tab = k;
      interact(() -> tabs.getSelectionModel().select(tab));
      WaitForAsyncUtils.waitForFxEvents();
      List<Control> controls = new ArrayList<>();
      collect(tabs.getTabs().get(k).getContent(), controls);
      for (Control c : controls) {
        checked++;
        if (c.getTooltip() == null || c.getTooltip().getText().isBlank()) {
          missing.add(tabs.getTabs().get(k).getText() + ": " + describe(c));
        }
      }
    }
    assertTrue(checked > 40, "the workspaces' controls were found: " + checked);
    assertEquals(List.of(), missing, "controls without a tooltip");
  }

  @Test
  void f1OpensTheConceptsPageWithItsFigures() {
    push(KeyCode.F1);
    WaitForAsyncUtils.waitForFxEvents();
    Window concepts = Window.getWindows().stream()
        .filter(w -> w instanceof Stage s && "DiffuLab — Concepts".equals(s.getTitle()))
        .findFirst().orElseThrow(() -> new AssertionError("no Concepts window"));
    Node page = ((ScrollPane) concepts.getScene().getRoot()).getContent();
    List<Node> canvases = new ArrayList<>();
    collectAll(page, canvases);
    assertTrue(canvases.stream().filter(n -> n instanceof Canvas).count() >= 3,
        "schedules, embeddings and entropy figures");
    interact(() -> ((Stage) concepts).close());
  }

  @Test
  void theGuideShowsAtFirstStartTakesYouToTheSliderAndStaysClosedOnceClosed() throws Exception {
    Node guide = lookup("#guideBanner").query();
    assertTrue(guide.isVisible(), "first start: the guide shows");
    clickOn("#guideStep1");
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> lookup("#maskSlider").query()
        .isFocused());
    assertEquals("Masking", lookup("#workspaces").queryAs(TabPane.class).getSelectionModel()
        .getSelectedItem().getText());
    clickOn("#guideCloseButton");
    assertFalse(guide.isVisible());

    Restarted again = restart();
    try {
      Node guide2 = again.stage().getScene().lookup("#guideBanner");
      assertFalse(guide2.isVisible(), "closed once, it stays closed");
      interact(menuItem(again.stage(), "guideItem")::fire);
      assertTrue(guide2.isVisible(), "Help → Getting started shows it again");
    } finally {
      stopAgain(again);
    }
  }

  /** Interactive controls that are not parts of another control (a spinner's text field). */
  private static void collect(Node n, List<Control> out) {
    if (n instanceof ButtonBase || n instanceof Slider || n instanceof Spinner
        || n instanceof ChoiceBox || n instanceof ComboBox || n instanceof TextInputControl) {
      if (n.isVisible() || n.getId() != null) {
        out.add((Control) n);
      }
      return;
    }
    if (n instanceof Control && !(n instanceof ScrollPane || n instanceof SplitPane
        || n instanceof TabPane || n instanceof TitledPane)) {
      return; // a list, table, property sheet or label: its insides are its own
    }
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        collect(c, out);
      }
    }
  }

  private static void collectAll(Node n, List<Node> out) {
    out.add(n);
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        collectAll(c, out);
      }
    }
  }

  private static String describe(Control c) {
    String text = c instanceof javafx.scene.control.Labeled l ? " \"" + l.getText() + "\"" : "";
    return c.getClass().getSimpleName() + (c.getId() == null ? "" : " #" + c.getId()) + text;
  }
}
