package dev.diffulab.ui.masking;

import dev.diffulab.core.masking.NestedMask;
import dev.diffulab.core.snapshot.CorpusSnapshot;
import dev.diffulab.core.snapshot.MaskPrediction;
import dev.diffulab.core.snapshot.ModelSnapshot;
import dev.diffulab.core.snapshot.TokenizedText;
import dev.diffulab.core.tinytales.TinyTalesGenerator;
import dev.diffulab.ui.common.AppSession;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The Masking workspace's state: a text and its tokens, the mask ratio, seed and prefix lock,
 * which tokens are masked (nested: computed here at once, no engine round trip), and — with a
 * model open — its predictions for the current mask, requested latest-wins so a dragged slider
 * never shows a stale answer over a newer one.
 */
public final class MaskingViewModel {
  private final AppSession session;
  private final AtomicLong requests = new AtomicLong();
  private final ReadOnlyObjectWrapper<TokenizedText> tokens = new ReadOnlyObjectWrapper<>();
  private final ReadOnlyObjectWrapper<boolean[]> mask = new ReadOnlyObjectWrapper<>(
      new boolean[0]);
  private final ReadOnlyObjectWrapper<MaskPrediction> prediction = new ReadOnlyObjectWrapper<>();
  private final dev.diffulab.ui.common.ModelChoice choice;
  private final ReadOnlyStringWrapper countText = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper accuracyText = new ReadOnlyStringWrapper("");
  private final ReadOnlyStringWrapper levelText = new ReadOnlyStringWrapper("");
  private List<String> corpusDocuments = List.of();
  private double ratio = 0.3;
  private long seed = 1;
  private int prefix;
  private long latestPrediction;

  public MaskingViewModel(AppSession session) {
    this.session = session;
    choice = new dev.diffulab.ui.common.ModelChoice(session);
    // a newly opened model, or the training run's model a few seconds further on: same text,
    // same mask, new guesses
    choice.onRefresh(this::modelChanged);
    session.dispatcher().subscribe(CorpusSnapshot.class, c -> corpusDocuments = c.someDocuments());
  }

  /** The model whose tokenizer read the text shown. */
  private String readBy;
  /** The text last given, which a tokenizer may not have read yet. */
  private String asked;

  /**
   * Another model (not the same run a few steps on) may read text with another tokenizer: the
   * text is read again with it before anything is predicted.
   */
  private void modelChanged() {
    ModelSnapshot m = choice.currentProperty().get();
    String source = m == null ? null : m.source();
    if (asked != null && source != null && !source.equals(readBy)) {
      readBy = source;
      // the text last given, not the one last read: a newer one may be on its way
      setText(asked);
      return;
    }
    readBy = source;
    recompute();
  }

  /** Tokenises {@code text} with the current tokenizer (on the engine thread). */
  public void setText(String text) {
    asked = text;
    long id = requests.incrementAndGet();
    session.deliver("Tokenizing", session.service().tokenize(id, text), t -> {
      tokens.set(t);
      recompute();
    });
  }

  /**
   * A fresh text to noise, drawn from {@code draw}: a TinyTales story, or for a model that
   * answers a built-in task a problem of the task with its response ("prompt → response"), so
   * the prompt stays given.
   */
  public String randomText(long draw) {
    ModelSnapshot m = choice.currentProperty().get();
    if (answersTask(m)) {
      var pair = dev.diffulab.core.pairs.Tasks.generate(m.task(), 1, draw).getFirst();
      return pair.prompt() + TokenizedText.ARROW + pair.response();
    }
    return new TinyTalesGenerator(draw).story(0);
  }

  /** Whether {@code m} answers the prompts of a built-in task. */
  public static boolean answersTask(ModelSnapshot m) {
    return m != null && m.answers() && dev.diffulab.core.pairs.Tasks.isTask(m.task());
  }

  /** A story from the opened corpus (cycling through the first few). */
  public String storyFromCorpus(int index) {
    if (corpusDocuments.isEmpty()) {
      return null;
    }
    String s = corpusDocuments.get(Math.floorMod(index, corpusDocuments.size()));
    setText(s);
    return s;
  }

  public void setRatio(double r) {
    ratio = Math.clamp(r, 0.0, 1.0);
    recompute();
  }

  public void setSeed(long s) {
    seed = s;
    recompute();
  }

  public long reroll() {
    setSeed(new Random().nextInt(1_000_000));
    return seed;
  }

  public void setPrefix(int p) {
    prefix = Math.max(0, p);
    recompute();
  }

  /** Whether the level noises every position at once (CDCD, the autoencoder's latent). */
  private boolean wholeText() {
    return choice.currentProperty().get() != null
        && choice.currentProperty().get().family().noisesWholeText();
  }

  private boolean cdcd() {
    return choice.currentProperty().get() != null
        && choice.currentProperty().get().family().continuousNoise();
  }

  /**
   * For a CDCD model the slider sets σ on a log scale: 10 % is σ_min, 100 % is σ_max.
   */
  public double sigma() {
    ModelSnapshot m = choice.currentProperty().get();
    double t = (ratio - 0.1) / 0.9;
    return Math.exp(Math.log(m.sigmaMin()) + Math.clamp(t, 0, 1)
        * (Math.log(m.sigmaMax()) - Math.log(m.sigmaMin())));
  }

  private void recompute() {
    levelText.set(cdcd()
        ? String.format("σ = %.2f", sigma())
        : String.format("%.0f %%", 100 * ratio));
    TokenizedText t = tokens.get();
    if (t == null) {
      return;
    }
    int n = t.ids().length;
    int given = Math.min(Math.max(prefix, t.given()), n); // a pair's prompt is never noised
    if (wholeText()) {
      boolean[] all = new boolean[n];
      java.util.Arrays.fill(all, given, n, true);
      mask.set(all);
      countText.set(cdcd()
          ? String.format("σ = %.2f: %d / %d tokens noised (the prompt stays clean)", sigma(),
              n - given, n)
          : String.format("%.0f %% of the latent's variance is noise: all %d tokens written"
              + " back from it", 100 * ratio, n - given));
      requestPrediction();
      return;
    }
    boolean[] m = new NestedMask(n, given, seed).at(ratio);
    mask.set(m);
    int masked = 0;
    for (boolean b : m) {
      masked += b ? 1 : 0;
    }
    int maskable = n - given;
    countText.set(String.format("%d / %d tokens masked (%.0f %%)", masked, maskable,
        maskable == 0 ? 0.0 : 100.0 * masked / maskable));
    requestPrediction();
  }

  private void requestPrediction() {
    TokenizedText t = tokens.get();
    if (t == null || choice.currentProperty().get() == null) {
      prediction.set(null);
      accuracyText.set(choice.currentProperty().get() == null
          ? "Open a checkpoint or finish a run to see what the"
              + " model would fill in."
          : "");
      return;
    }
    long id = requests.incrementAndGet();
    latestPrediction = id;
    boolean[] m = mask.get().clone();
    int[] ids = t.ids().clone();
    double r = cdcd() ? sigma() : ratio;
    long s = seed;
    int given = Math.max(prefix, t.given());
    session.deliver("Predicting masked tokens", session.service().predictMasks(
        new dev.diffulab.core.masking.MaskRequest(id, ids, m, given, r, s)), p -> {
          if (p != null && p.requestId() == latestPrediction) {
            prediction.set(p);
            accuracyText.set(Double.isNaN(p.accuracy())
                ? "nothing masked"
                : String.format("reconstruction accuracy at this ratio: %.0f %%",
                    100 * p.accuracy()));
          }
        });
  }

  public double ratio() {
    return ratio;
  }

  public long seed() {
    return seed;
  }

  public int prefix() {
    return prefix;
  }

  public ReadOnlyObjectProperty<TokenizedText> tokensProperty() {
    return tokens.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<boolean[]> maskProperty() {
    return mask.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<MaskPrediction> predictionProperty() {
    return prediction.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<ModelSnapshot> modelProperty() {
    return choice.currentProperty();
  }

  /** Which model the workspace shows, the training run's or the opened one. */
  public dev.diffulab.ui.common.ModelChoice modelChoice() {
    return choice;
  }

  public ReadOnlyStringProperty countTextProperty() {
    return countText.getReadOnlyProperty();
  }

  /** "30 %" for a masked model, "σ = 3.16" for a CDCD model. */
  public ReadOnlyStringProperty levelTextProperty() {
    return levelText.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty accuracyTextProperty() {
    return accuracyText.getReadOnlyProperty();
  }
}
