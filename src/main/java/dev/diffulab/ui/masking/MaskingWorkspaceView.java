package dev.diffulab.ui.masking;

import dev.diffulab.core.config.MaskSchedule;
import dev.diffulab.core.snapshot.TokenizedText;
import dev.diffulab.core.tinytales.TinyTalesGenerator;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.core.session.LabSession;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.Notices;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.jfree.data.xy.XYSeries;

/** The Masking workspace: a text masked at 10–100 % and what the model would put in each blank. */
public final class MaskingWorkspaceView extends BorderPane {
  private static final int SCHEDULE_STEPS = 32;

  private final MaskingViewModel model;
  private final TokenChips chips = new TokenChips();
  private final Label candidates = new Label("Click a masked chip to see the model's top five.");
  private int corpusIndex;

  private final TextArea text;
  private final Slider slider;
  private final TextField seed;
  private final Spinner<Integer> prefix;

  public MaskingWorkspaceView(AppSession session) {
    setId("maskingWorkspace");
    setPadding(new Insets(12));
    model = new MaskingViewModel(session);

    text = new TextArea(new TinyTalesGenerator(2024).story(0));
    text.setId("maskText");
    text.setWrapText(true);
    text.setPrefRowCount(3);
    text.textProperty().addListener((o, a, b) -> model.setText(b));
    Button random = new Button("Random story");
    random.setId("randomStoryButton");
    random.setOnAction(e -> text.setText(model.randomText(System.nanoTime())));
    Button fromCorpus = new Button("Story from corpus");
    fromCorpus.setId("corpusStoryButton");
    fromCorpus.setOnAction(e -> {
      String s = model.storyFromCorpus(corpusIndex++);
      if (s != null) {
        text.setText(s);
      }
    });

    slider = new Slider(0.1, 1.0, model.ratio());
    slider.setId("maskSlider");
    slider.setMajorTickUnit(0.1);
    slider.setMinorTickCount(0);
    slider.setShowTickMarks(true);
    slider.setBlockIncrement(0.01);
    slider.setPrefWidth(420);
    // Shift snaps to 10 % steps while dragging or clicking
    slider.addEventFilter(MouseEvent.ANY, e -> slider.setSnapToTicks(e.isShiftDown()));
    slider.addEventFilter(javafx.scene.input.KeyEvent.ANY,
        e -> slider.setBlockIncrement(e.isShiftDown() ? 0.1 : 0.01));
    Label ratioLabel = new Label();
    ratioLabel.setMinWidth(50);
    ratioLabel.textProperty().bind(model.levelTextProperty());
    ratioLabel.setMinWidth(80);
    slider.valueProperty().addListener((o, a, b) -> model.setRatio(b.doubleValue()));

    seed = new TextField(Long.toString(model.seed()));
    seed.setId("seedField");
    seed.setPrefColumnCount(7);
    seed.textProperty().addListener((o, a, b) -> {
      try {
        model.setSeed(Long.parseLong(b.strip()));
        seed.setStyle("");
      } catch (NumberFormatException ex) {
        seed.setStyle("-fx-border-color: #d55e00;");
      }
    });
    Button reroll = new Button("Re-roll");
    reroll.setId("rerollButton");
    reroll.setOnAction(e -> seed.setText(Long.toString(model.reroll())));
    prefix = new Spinner<>(0, 512, 0);
    prefix.setId("prefixSpinner");
    prefix.setPrefWidth(80);
    prefix.setEditable(true);
    prefix.valueProperty().addListener((o, a, b) -> model.setPrefix(b));
    Label count = new Label();
    count.setId("maskedCountLabel");
    count.textProperty().bind(model.countTextProperty());
    Label accuracy = new Label();
    accuracy.setId("accuracyLabel");
    accuracy.textProperty().bind(model.accuracyTextProperty());
    Label modelLabel = new Label();
    modelLabel.setId("maskModelLabel");
    modelLabel.textProperty().bind(model.modelChoice().labelProperty());
    javafx.scene.control.CheckBox follow = model.modelChoice().followToggle("maskFollowCheck");
    Button export = new Button("Export PNG…");
    export.setId("maskExportButton");
    export.setOnAction(e -> exportPng());

    HBox inputRow = new HBox(8, random, fromCorpus, new Region(), modelLabel, follow);
    HBox.setHgrow(inputRow.getChildren().get(2), Priority.ALWAYS);
    inputRow.setAlignment(Pos.CENTER_LEFT);
    Label level = new Label("Masked");
    level.setId("levelNameLabel");
    // what the slider sets is the open model's family's: masked share, σ, latent noise
    model.modelProperty().addListener((o, a, b) -> {
      level.setText(b == null ? "Masked" : b.family().levelName());
      // a task model reads a prompt and noises its response: show it one, not a bare story
      if (MaskingViewModel.answersTask(b) && !text.getText().contains(
          TokenizedText.ARROW.strip())) {
        text.setText(model.randomText(2024));
      }
    });
    if (model.modelProperty().get() != null) {
      level.setText(model.modelProperty().get().family().levelName());
      if (MaskingViewModel.answersTask(model.modelProperty().get())) {
        text.setText(model.randomText(2024));
      }
    }
    HBox sliderRow = new HBox(10, level, slider, ratioLabel, new Label("Seed"), seed,
        reroll, new Label("Prefix lock"), prefix, export);
    sliderRow.setAlignment(Pos.CENTER_LEFT);
    HBox status = new HBox(24, count, accuracy);
    VBox top = new VBox(8, text, inputRow, sliderRow, status, legend());
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);

    ScrollPane chipScroll = new ScrollPane(chips);
    chipScroll.setFitToWidth(true);
    chips.setOnSelect(this::select);
    candidates.setId("candidatesLabel");
    candidates.getStyleClass().add("candidates");
    candidates.setMinWidth(220);
    VBox side = new VBox(8, new Label("Candidates"), candidates);
    side.setPadding(new Insets(0, 0, 0, 10));
    HBox middle = new HBox(chipScroll, side);
    HBox.setHgrow(chipScroll, Priority.ALWAYS);
    setCenter(middle);
    LiveLineChart curve = modelCurve(session, slider);
    HBox plots = new HBox(10, schedulesPlot(slider), curve);
    HBox.setHgrow(plots.getChildren().get(0), Priority.ALWAYS);
    HBox.setHgrow(curve, Priority.ALWAYS);
    setBottom(plots);

    Runnable redraw = () -> chips.show(model.tokensProperty().get(), model.maskProperty().get(),
        model.prefix(), model.predictionProperty().get());
    model.tokensProperty().addListener((o, a, b) -> redraw.run());
    model.maskProperty().addListener((o, a, b) -> redraw.run());
    model.predictionProperty().addListener((o, a, b) -> redraw.run());
    model.setText(text.getText());
  }

  private void select(int i) {
    var p = model.predictionProperty().get();
    var t = model.tokensProperty().get();
    if (p != null && t != null && i < p.topTokens().length && p.topTokens()[i].length > 0) {
      candidates.setText(TokenChips.candidates(p, i, t.tokens().get(i)));
    } else {
      candidates.setText(t == null ? "" : "'" + t.tokens().get(i) + "' is not masked.");
    }
  }

  /** The legend's words: a masking family's, or one that noises the whole text. */
  private final Label givenWords = new Label();
  private final Label hiddenWords = new Label();
  private final Label guessWords = new Label();

  private HBox legend() {
    HBox box = new HBox(14, swatch("chip-given", givenWords), swatch("chip-masked", hiddenWords),
        swatch("chip-predicted", guessWords), swatch("chip", new Label("visible token")));
    box.setAlignment(Pos.CENTER_LEFT);
    box.setId("maskingLegend");
    legendFor(model.modelProperty().get());
    model.modelProperty().addListener((o, a, b) -> legendFor(b));
    return box;
  }

  private void legendFor(dev.diffulab.core.snapshot.ModelSnapshot m) {
    boolean whole = m != null && m.family().noisesWholeText();
    givenWords.setText(whole ? "prompt (never noised)" : "prompt (never masked)");
    hiddenWords.setText(whole ? "noised" : "masked");
    guessWords.setText(whole
        ? "written back by the model — bluer is more certain"
        : "model's guess — bluer is more confident");
  }

  private static HBox swatch(String style, Label text) {
    Label chip = new Label("  ");
    chip.getStyleClass().setAll("chip", style);
    HBox h = new HBox(4, chip, text);
    h.setAlignment(Pos.CENTER_LEFT);
    return h;
  }

  private LiveLineChart schedulesPlot(Slider slider) {
    LiveLineChart plot = new LiveLineChart("schedulesChart", "Masked fraction during denoising",
        "denoising step", "masked fraction");
    plot.setPrefHeight(230);
    Color[] colours = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73)};
    double[] steps = new double[SCHEDULE_STEPS + 1];
    for (int k = 0; k <= SCHEDULE_STEPS; k++) {
      steps[k] = k;
    }
    int c = 0;
    for (MaskSchedule s : MaskSchedule.values()) {
      XYSeries series = plot.addSeries(s.id(), colours[c++], false, false);
      double[] y = new double[steps.length];
      for (int k = 0; k < y.length; k++) {
        y[k] = s.maskedFraction((double) k / SCHEDULE_STEPS);
      }
      plot.replace(series, steps, y);
    }
    XYSeries warped = plot.addSeries("CDCD warped σ grid (log σ, scaled)", new Color(0xCC79A7),
        false, true);
    model.modelProperty().addListener((o, a, m) -> {
      warped.clear();
      plot.setTitle(m != null && !m.family().drawsTokens() && m.sigmaGrid().length > 1
          ? "Noise left during denoising"
          : "Masked fraction during denoising");
      if (m != null && !m.family().continuousNoise() && m.sigmaGrid().length > 1) {
        // a latent family's DDIM steps: the share of the latent's variance still noise
        warped.setKey("latent noise share at each DDIM step");
        double[] g = m.sigmaGrid();
        double[] x = new double[g.length];
        for (int k = 0; k < g.length; k++) {
          x[k] = (double) k / (g.length - 1) * SCHEDULE_STEPS;
        }
        plot.replace(warped, x, g);
      } else if (m != null && m.family().continuousNoise() && m.sigmaGrid().length > 1) {
        warped.setKey("CDCD warped σ grid (log σ, scaled)");
        double[] g = m.sigmaGrid();
        double lo = Math.log(m.sigmaMin());
        double span = Math.log(m.sigmaMax()) - lo;
        double[] x = new double[g.length];
        double[] y = new double[g.length];
        for (int k = 0; k < g.length; k++) {
          x[k] = (double) k / (g.length - 1) * SCHEDULE_STEPS;
          y[k] = (Math.log(g[k]) - lo) / span;
        }
        plot.replace(warped, x, y);
      }
      plot.flush();
    });
    XYSeries marker = plot.addSeries("this view", new Color(0xD55E00), false, false);
    Runnable mark = () -> {
      plot.replace(marker, new double[]{0, SCHEDULE_STEPS},
          new double[]{slider.getValue(), slider.getValue()});
      plot.flush();
    };
    slider.valueProperty().addListener((o, a, b) -> mark.run());
    mark.run();
    return plot;
  }

  /**
   * The opened model's cross-entropy at each mask ratio (or σ, on a log scale, for CDCD) on
   * stories it did not train on, with the slider's current value marked.
   */
  private LiveLineChart modelCurve(AppSession session, Slider slider) {
    LiveLineChart plot = new LiveLineChart("modelCurveChart", "The model's loss at each level",
        "mask ratio (%)", "cross-entropy (nats)");
    plot.setPrefHeight(230);
    XYSeries line = plot.addSeries("shown model", new Color(0x0072B2), false, false);
    XYSeries marker = plot.addSeries("this view", new Color(0xD55E00), false, false);
    // a training run's model has no measured curve: its training loss by mask ratio, as the
    // Train workspace draws it, stands in (smoothed over recent steps)
    double[][] live = new double[2][];
    Runnable draw = () -> {
      var m = model.modelProperty().get();
      if (m != null) {
        plot.setXLabel(m.family().levelAxis());
        plot.setYLabel(m.family().levelLoss());
      }
      double[] cx = m == null ? null : m.curveX() != null ? m.curveX() : live[0];
      double[] cy = m == null ? null : m.curveY() != null ? m.curveY() : live[1];
      if (m == null || cx == null || (m.curveX() == null && m.family().continuousNoise())) {
        plot.clear();
        return;
      }
      double[] x = java.util.Arrays.stream(cx)
          .map(v -> m.family().continuousNoise() ? Math.log10(v) : 100 * v).toArray();
      plot.replace(line, x, cy);
      double now = m.family().continuousNoise()
          ? Math.log10(model.sigma())
          : 100 * slider.getValue();
      double lo = java.util.Arrays.stream(cy).filter(Double::isFinite).min().orElse(0);
      double hi = java.util.Arrays.stream(cy).filter(Double::isFinite).max().orElse(1);
      plot.replace(marker, new double[]{now, now}, new double[]{lo, hi});
      plot.flush();
    };
    session.dispatcher().subscribe(dev.diffulab.core.snapshot.NoiseLevelLosses.class, n -> {
      live[0] = n.levels();
      live[1] = n.loss();
      var m = model.modelProperty().get();
      if (m != null && m.curveX() == null) {
        draw.run();
      }
    });
    model.modelProperty().addListener((o, a, b) -> draw.run());
    slider.valueProperty().addListener((o, a, b) -> draw.run());
    return plot;
  }

  /** What this workspace shows, for a saved session. */
  public LabSession.Masking state() {
    long seedValue;
    try {
      seedValue = Long.parseLong(seed.getText().strip());
    } catch (NumberFormatException e) {
      seedValue = model.seed();
    }
    return new LabSession.Masking(text.getText(), slider.getValue(), seedValue,
        prefix.getValue());
  }

  /** Shows a saved session's text, ratio, seed and prefix lock. */
  public void restore(LabSession.Masking m) {
    if (m == null) {
      return;
    }
    if (m.text() != null) {
      text.setText(m.text());
    }
    slider.setValue(Math.clamp(m.ratio(), slider.getMin(), slider.getMax()));
    seed.setText(Long.toString(m.seed()));
    prefix.getValueFactory().setValue(Math.clamp(m.prefix(), 0, 512));
  }

  private void exportPng() {
    FileChooser fc = new FileChooser();
    fc.setInitialFileName("masking.png");
    File f = fc.showSaveDialog(getScene().getWindow());
    if (f != null) {
      try {
        dev.diffulab.ui.chart.ChartExport.png(this, f.toPath());
        Notices.saved(f.toPath());
      } catch (IOException e) {
        Errors.show("Exporting " + f.getName(), e);
      }
    }
  }

  public MaskingViewModel model() {
    return model;
  }
}
