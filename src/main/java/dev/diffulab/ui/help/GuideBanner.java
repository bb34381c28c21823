package dev.diffulab.ui.help;

import dev.diffulab.ui.common.UserPrefs;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The first-start guide: a strip under the menu that points at the three things people come
 * for — Quick test, the Masking slider, the Denoise scrubber — each with a "show me" that opens
 * the workspace and focuses the control. Shown until closed; Help → Getting started shows it
 * again. Without a preference node (the tests) it starts closed.
 */
public final class GuideBanner extends HBox {
  private static final String DISMISSED = "guide.dismissed";

  /**
   * @param showMe opens workspace 0, 1 or 2 and focuses its control
   * @param concepts opens the Concepts window
   */
  public GuideBanner(Consumer<Integer> showMe, Runnable concepts) {
    setId("guideBanner");
    getStyleClass().add("guide");
    setSpacing(10);
    setAlignment(Pos.CENTER_LEFT);
    setPadding(new Insets(6, 12, 6, 12));
    Label title = new Label("New here?");
    title.getStyleClass().add("card-title");
    FlowPane steps = new FlowPane(6, 4,
        step("1. Train → Quick test (Ctrl+Enter) and watch a small model learn", 0, showMe),
        step("2. Masking: drag the slider to hide 10–100 % of a story", 1, showMe),
        step("3. Denoise: Generate, then scrub through the steps", 2, showMe));
    // one line where the window is wide enough, wrapped where it is not
    steps.prefWrapLengthProperty().bind(widthProperty().subtract(380));
    Hyperlink more = new Hyperlink("What is all this? (F1)");
    more.setId("guideConceptsLink");
    more.setOnAction(e -> concepts.run());
    Region gap = new Region();
    HBox.setHgrow(steps, Priority.ALWAYS);
    Button close = new Button("Got it");
    close.setId("guideCloseButton");
    close.setOnAction(e -> dismiss());
    getChildren().addAll(title, steps, more, gap, close);
    managedProperty().bind(visibleProperty());
    setVisible(UserPrefs.node().map(p -> !p.getBoolean(DISMISSED, false)).orElse(false));
  }

  private static Hyperlink step(String text, int workspace, Consumer<Integer> showMe) {
    Hyperlink h = new Hyperlink(text);
    h.setId("guideStep" + workspace);
    h.setOnAction(e -> showMe.accept(workspace));
    return h;
  }

  /** Hides the guide for this and later sessions. */
  public void dismiss() {
    setVisible(false);
    UserPrefs.node().ifPresent(p -> p.putBoolean(DISMISSED, true));
  }

  /** Shows the guide again (Help → Getting started). */
  public void reopen() {
    setVisible(true);
    UserPrefs.node().ifPresent(p -> p.putBoolean(DISMISSED, false));
  }
}
