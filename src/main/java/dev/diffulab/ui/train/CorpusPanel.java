package dev.diffulab.ui.train;

import dev.diffulab.core.snapshot.CorpusSnapshot;
import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The corpus the Train button will use and what its tokenizer makes of it, with choosers for both:
 * a file dialog here, or a file dropped anywhere on the window. The statistics show before any
 * training starts.
 */
public final class CorpusPanel extends VBox {
  private final Label corpus = value("corpusNameLabel");
  private final Label tokenizer = value("tokenizerNameLabel");
  private final Label documents = value("documentsLabel");
  private final Label tokens = value("tokensLabel");
  private final Label unknown = value("unknownRateLabel");
  private final Label entropy = value("unigramEntropyLabel");

  public CorpusPanel(ConfigViewModel config) {
    setId("corpusPanel");
    getStyleClass().add("card");
    setSpacing(6);
    setPadding(new Insets(10));
    Label title = new Label("Corpus");
    title.getStyleClass().add("card-title");
    GridPane grid = new GridPane();
    grid.setHgap(12);
    grid.setVgap(4);
    ColumnConstraints names = new ColumnConstraints();
    names.setMinWidth(Region.USE_PREF_SIZE);
    ColumnConstraints values = new ColumnConstraints();
    values.setHgrow(Priority.ALWAYS);
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
    Button chooseCorpus = new Button("Corpus…");
    chooseCorpus.setId("chooseCorpusButton");
    chooseCorpus.setTooltip(new Tooltip("Train on a .txt (TinyStories style) or .jsonl corpus"));
    chooseCorpus.setOnAction(e -> chooseCorpus().ifPresent(config::useCorpus));
    Button chooseTokenizer = new Button("Tokenizer…");
    chooseTokenizer.setId("chooseTokenizerButton");
    chooseTokenizer.setTooltip(new Tooltip("Use a Hugging Face tokenizer.json"));
    chooseTokenizer.setOnAction(e -> chooseTokenizer().ifPresent(config::useTokenizer));
    Button tinyTales = new Button("TinyTales");
    tinyTales.setId("useTinyTalesButton");
    tinyTales.setTooltip(new Tooltip("The embedded TinyTales corpus and its shipped tokenizer"));
    tinyTales.setOnAction(e -> {
      config.useTokenizer(null);
      config.useCorpus(null);
    });
    FlowPane choosers = new FlowPane(6, 6, chooseCorpus, chooseTokenizer, tinyTales);
    Label hint = new Label("or drop a corpus, tokenizer.json or config file on the window");
    hint.getStyleClass().add("hint");
    hint.setWrapText(true);
    getChildren().addAll(title, grid, choosers, hint);
  }

  private static Label value(String id) {
    Label l = new Label("–");
    l.setId(id);
    return l;
  }

  /** Asks for a corpus file. */
  public Optional<Path> chooseCorpus() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Corpus to train on");
    fc.getExtensionFilters().addAll(
        new FileChooser.ExtensionFilter("Text corpora", "*.txt", "*.jsonl", "*.ndjson"),
        new FileChooser.ExtensionFilter("All files", "*.*"));
    return Optional.ofNullable(fc.showOpenDialog(getScene().getWindow())).map(File::toPath);
  }

  /** Asks for a tokenizer.json. */
  public Optional<Path> chooseTokenizer() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Tokenizer");
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("tokenizer.json", "*.json"));
    return Optional.ofNullable(fc.showOpenDialog(getScene().getWindow())).map(File::toPath);
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
