package dev.diffulab.ui.train;

import dev.diffulab.core.snapshot.CorpusSnapshot;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/** The corpus a run will train on and what its tokenizer makes of it. */
public final class CorpusPanel extends VBox {
  private final Label corpus = value("corpusNameLabel");
  private final Label tokenizer = value("tokenizerNameLabel");
  private final Label documents = value("documentsLabel");
  private final Label tokens = value("tokensLabel");
  private final Label unknown = value("unknownRateLabel");
  private final Label entropy = value("unigramEntropyLabel");

  public CorpusPanel() {
    setId("corpusPanel");
    getStyleClass().add("card");
    setSpacing(6);
    setPadding(new Insets(10));
    Label title = new Label("Corpus");
    title.getStyleClass().add("card-title");
    GridPane grid = new GridPane();
    grid.setHgap(12);
    grid.setVgap(4);
    javafx.scene.layout.ColumnConstraints names = new javafx.scene.layout.ColumnConstraints();
    names.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    javafx.scene.layout.ColumnConstraints values = new javafx.scene.layout.ColumnConstraints();
    values.setHgrow(javafx.scene.layout.Priority.ALWAYS);
    grid.getColumnConstraints().addAll(names, values);
    String[] labels = {"Corpus", "Tokenizer", "Documents", "Tokens", "Unknown tokens",
        "Unigram entropy"};
    Label[] cells = {corpus, tokenizer, documents, tokens, unknown, entropy};
    for (int i = 0; i < labels.length; i++) {
      Label n = new Label(labels[i]);
      n.getStyleClass().add("field-name");
      cells[i].setWrapText(true);
      grid.addRow(i, n, cells[i]);
    }
    corpus.setText("reading…");
    getChildren().addAll(title, grid);
  }

  private static Label value(String id) {
    Label l = new Label("–");
    l.setId(id);
    return l;
  }

  public void show(CorpusSnapshot s) {
    corpus.setText(s.corpusName());
    tokenizer.setText(s.tokenizerName() + " · " + s.stats().vocabularySize() + " tokens");
    documents.setText(String.format("%,d", s.stats().documents()));
    tokens.setText(String.format("%,d (%.1f per document)", s.stats().tokens(),
        (double) s.stats().tokens() / s.stats().documents()));
    unknown.setText(String.format("%.2f %%", 100 * s.stats().unknownRate()));
    entropy.setText(String.format("%.3f nats", s.stats().unigramEntropyNats()));
  }
}
