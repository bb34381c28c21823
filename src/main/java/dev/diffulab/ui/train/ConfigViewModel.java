package dev.diffulab.ui.train;

import dev.diffulab.core.config.ConfigDraft;
import dev.diffulab.core.config.DataConfig;
import dev.diffulab.core.config.Method;
import dev.diffulab.core.config.ModelSize;
import dev.diffulab.core.config.RunConfig;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.UserPrefs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The configuration the Train button runs, as the Train workspace edits it: every field's text and
 * problem as observable values (the key knobs and the property sheet bind to the same ones), the
 * model-size preset the four backbone numbers make, and opening and saving config files. Choosing
 * a corpus or tokenizer file here also shows its statistics. No scene-graph code.
 */
public final class ConfigViewModel {
  /** The fields with controls of their own above the charts; the property sheet has the rest. */
  public static final List<String> KEY_FIELDS = List.of("method", "train.steps",
      "train.learning_rate", "train.batch_size", "model.seq_len");

  private final ConfigDraft draft;
  private final Map<String, ReadOnlyStringWrapper> values = new LinkedHashMap<>();
  private final Map<String, ReadOnlyStringWrapper> errors = new LinkedHashMap<>();
  private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper();
  private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
  private final ReadOnlyObjectWrapper<Optional<ModelSize>> size = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>();
  private final Function<ConfigDraft.CorpusChoice, CompletableFuture<?>> corpusOpener;
  private final Executor ui;
  private ConfigDraft.CorpusChoice requested;
  private Map<String, String> shown;

  /**
   * @param corpusOpener reads the corpus and tokenizer of a choice and shows their statistics; its
   *     future is cancelled when a newer choice replaced it before it was read
   * @param ui where a corpus that cannot be read is put back to the last one that could
   */
  public ConfigViewModel(RunConfig initial,
      Function<ConfigDraft.CorpusChoice, CompletableFuture<?>> corpusOpener, Executor ui) {
    this.draft = ConfigDraft.of(initial);
    this.corpusOpener = corpusOpener;
    this.ui = ui;
    for (ConfigDraft.Field f : draft.fields()) {
      values.put(f.key(), new ReadOnlyStringWrapper(draft.text(f.key())));
      errors.put(f.key(), new ReadOnlyStringWrapper());
    }
    refresh();
  }

  public ConfigDraft.Field field(String key) {
    return draft.field(key);
  }

  /** The fields the property sheet shows: all but the key knobs. */
  public List<ConfigDraft.Field> otherFields() {
    return draft.fields().stream().filter(f -> !KEY_FIELDS.contains(f.key())).toList();
  }

  public ReadOnlyStringProperty value(String key) {
    return values.get(key).getReadOnlyProperty();
  }

  /** The field's problem, or null when its value is fine. */
  public ReadOnlyStringProperty error(String key) {
    return errors.get(key).getReadOnlyProperty();
  }

  /**
   * Sets a field to typed text. When the corpus, tokenizer, story count or seed change, the corpus
   * is read again to show its statistics.
   */
  public void set(String key, String text) {
    if (text == null || text.equals(draft.text(key))) {
      return;
    }
    draft.set(key, text);
    refresh();
    showCorpus();
  }

  /**
   * Shows the statistics of the corpus the fields name, if they changed since the last request. A
   * corpus that cannot be read is reported and its fields go back to the last one that could.
   */
  public void showCorpus() {
    ConfigDraft.CorpusChoice choice = draft.corpusChoice().orElse(null);
    if (choice == null || choice.equals(requested)) {
      return;
    }
    requested = choice;
    Map<String, String> texts = corpusTexts();
    corpusOpener.apply(choice).whenComplete((r, e) -> ui.execute(() -> {
      if (e == null) {
        shown = texts;
      } else if (!(e instanceof java.util.concurrent.CancellationException)
          && choice.equals(requested)) {
        if (shown != null) {
          draft.setAll(shown);
          refresh();
          requested = draft.corpusChoice().orElse(null);
        } else if (!choice.data().isTinyTales()) {
          // the first corpus of the session (say, from the command line) could not be read:
          // train on the embedded TinyTales rather than on nothing, and show it
          draft.setAll(Map.of("data.corpus", DataConfig.TINYTALES, "data.tokenizer",
              DataConfig.TINYTALES));
          refresh();
          showCorpus();
        }
      }
    }));
  }

  private Map<String, String> corpusTexts() {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String k : ConfigDraft.CORPUS_KEYS) {
      texts.put(k, draft.text(k));
    }
    return texts;
  }

  public void setMethod(Method m) {
    set("method", m.id());
  }

  public Method method() {
    return draft.config().map(RunConfig::method)
        .orElseGet(() -> java.util.Arrays.stream(Method.values())
            .filter(m -> m.id().equals(values.get("method").get())).findFirst()
            .orElse(Method.DEFAULT));
  }

  /** Sets the four backbone numbers to a preset. */
  public void setSize(ModelSize s) {
    if (s == null || size.get().equals(Optional.of(s))) {
      return;
    }
    draft.setAll(Map.of("model.d_model", Integer.toString(s.dModel()), "model.layers",
        Integer.toString(s.layers()), "model.heads", Integer.toString(s.heads()), "model.ffn",
        Integer.toString(s.ffn())));
    refresh();
  }

  /** The preset the backbone numbers make; empty when they are custom (or not yet numbers). */
  public ReadOnlyObjectProperty<Optional<ModelSize>> sizeProperty() {
    return size.getReadOnlyProperty();
  }

  /**
   * Uses a corpus file ({@code null}: TinyTales) for the next Train run and shows its statistics.
   * A file that is not there is reported and the corpus stays as it was.
   *
   * @return whether the corpus was taken
   */
  public boolean useCorpus(Path corpus) {
    boolean ok = choose("data.corpus", corpus);
    if (ok) {
      UserPrefs.remember(UserPrefs.Recent.CORPUS, corpus);
    }
    return ok;
  }

  /** Uses a tokenizer file ({@code null}: the shipped one) for the next Train run. */
  public boolean useTokenizer(Path tokenizer) {
    boolean ok = choose("data.tokenizer", tokenizer);
    if (ok) {
      UserPrefs.remember(UserPrefs.Recent.TOKENIZER, tokenizer);
    }
    return ok;
  }

  private boolean choose(String key, Path file) {
    String before = draft.text(key);
    set(key, file == null ? DataConfig.TINYTALES : file.toString());
    String problem = draft.error(key);
    if (problem != null) {
      // nothing was opened, so the statistics shown are still those of the corpus put back
      draft.set(key, before);
      refresh();
      Errors.show((key.equals("data.corpus") ? "Corpus: " : "Tokenizer: ") + problem);
      return false;
    }
    return true;
  }

  /** Replaces every field with {@code config}'s values. */
  public void load(RunConfig config) {
    draft.load(config);
    refresh();
    showCorpus();
  }

  /** Reads a config file into the fields; a bad file leaves them as they were. */
  public void open(Path path) {
    RunConfig c = RunConfig.load(path);
    load(c);
    file.set(path);
    UserPrefs.remember(UserPrefs.Recent.CONFIG, path);
  }

  /**
   * Writes the config to {@code path} (through a temporary file, so a failed write leaves the old
   * file whole); an invalid draft is refused with the first field's problem.
   */
  public void save(Path path) throws IOException {
    write(path);
    file.set(path);
  }

  /** Writes the config to {@code path} as {@link #save} does, without making it the open file. */
  public void write(Path path) throws IOException {
    String json = draft.toJson();
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".config-", ".json");
    try {
      Files.writeString(tmp, json, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The config file last opened or saved, or null. */
  public ReadOnlyObjectProperty<Path> fileProperty() {
    return file.getReadOnlyProperty();
  }

  /** The config as it stands; a {@code ConfigException} naming the first bad field otherwise. */
  public RunConfig build() {
    return draft.build();
  }

  public ReadOnlyBooleanProperty validProperty() {
    return valid.getReadOnlyProperty();
  }

  /** "train.steps: must be …" for the first bad field, or empty. */
  public ReadOnlyStringProperty problemProperty() {
    return problem.getReadOnlyProperty();
  }

  private void refresh() {
    for (ConfigDraft.Field f : draft.fields()) {
      values.get(f.key()).set(draft.text(f.key()));
      errors.get(f.key()).set(draft.error(f.key()));
    }
    valid.set(draft.valid());
    Map<String, String> all = draft.errors();
    problem.set(all.isEmpty()
        ? ""
        : all.entrySet().iterator().next().getKey() + ": " + all.values().iterator().next()
            + (all.size() > 1 ? "  (and " + (all.size() - 1) + " more)" : ""));
    size.set(number("model.d_model").flatMap(d -> number("model.layers").flatMap(
        l -> number("model.heads").flatMap(h -> number("model.ffn").flatMap(
            f -> ModelSize.of(d, l, h, f))))));
  }

  private Optional<Integer> number(String key) {
    try {
      return Optional.of(Integer.parseInt(draft.text(key).strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
