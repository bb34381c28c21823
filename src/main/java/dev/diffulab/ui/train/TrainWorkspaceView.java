package dev.diffulab.ui.train;

import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.ui.common.AppSession;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

/** The Train workspace: the corpus to train on, and the runs. */
public final class TrainWorkspaceView extends BorderPane {
  private final CorpusPanel corpusPanel = new CorpusPanel();

  public TrainWorkspaceView(AppSession session) {
    setId("trainWorkspace");
    setPadding(new Insets(12));
    Label intro = new Label("Train a small transformer to denoise text. On a laptop CPU the quick "
        + "test shows the learning dynamics within minutes; coherent stories need the full run.");
    intro.setWrapText(true);
    intro.getStyleClass().add("intro");
    VBox left = new VBox(12, corpusPanel);
    left.setPrefWidth(400);
    setTop(intro);
    BorderPane.setMargin(intro, new Insets(0, 0, 12, 0));
    setLeft(left);
    session.dispatcher().subscribe(CorpusSnapshot.class, corpusPanel::show);
  }
}
