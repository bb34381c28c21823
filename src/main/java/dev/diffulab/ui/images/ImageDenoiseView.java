package dev.diffulab.ui.images;

import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.ImageSamples;
import dev.diffulab.core.image.ImageGrid;
import dev.diffulab.engine.LabService;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.Notices;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * Denoise, for pictures: sixteen samples drawn by DDIM (any number of steps, noise η) or DDPM
 * (every step, η = 1) with classifier-free guidance w; a scrubber over every step shows x_t and
 * x̂₀; A/B runs two samplers on the same start noise side by side; the final grid exports as PNG
 * and the run as a GIF.
 */
public final class ImageDenoiseView extends BorderPane {
  private static final int COUNT = 16;
  private static final int COLUMNS = 4;
  private static final int SCALE = 4;
  private final ImageLab lab;
  private final ChoiceBox<String> klass = new ChoiceBox<>();
  private final Spinner<Integer> stepsA = new Spinner<>(1, 1000, 50);
  private final Slider etaA = slider("imageEtaA", 0, 1, 0);
  private final Slider guidance = slider("imageGuidanceSlider", 0, 8, 2);
  /** Whether to keep the model's guidance interval; shown only for a model that has one. */
  private final javafx.scene.control.CheckBox interval = new javafx.scene.control.CheckBox(
      "in an interval");
  private java.util.List<Double> modelInterval;
  private final Spinner<Integer> seed = new Spinner<>(0, Integer.MAX_VALUE, 1);
  private final CheckBox compare = new CheckBox("Compare with B");
  private final Spinner<Integer> stepsB = new Spinner<>(1, 1000, 500);
  private final Slider etaB = slider("imageEtaB", 0, 1, 1);
  private final Slider scrubber = new Slider(0, 1, 1);
  private final Label scrubLabel = new Label();
  private final Label status = new Label();
  private final ImageView noisyA = Pictures.view("denoiseNoisyA");
  private final ImageView cleanA = Pictures.view("denoiseCleanA");
  private final ImageView noisyB = Pictures.view("denoiseNoisyB");
  private final ImageView cleanB = Pictures.view("denoiseCleanB");
  private final VBox rowA;
  private final VBox rowB;
  private ImageSamples a;
  private ImageSamples b;
  private CompletableFuture<?> job;
  private boolean busy;
  private final Button generate = new Button("Generate");
  private final Button cancel = new Button("Cancel");

  public ImageDenoiseView(AppSession session, ImageLab lab) {
    this.lab = lab;
    setId("imageDenoiseWorkspace");
    setPadding(new Insets(12));
    Label modelLabel = new Label();
    modelLabel.setId("imageDenoiseModelLabel");
    modelLabel.textProperty().bind(lab.labelProperty());
    klass.setId("imageClassChoice");
    stepsA.setId("imageStepsA");
    stepsA.setEditable(true);
    stepsA.setPrefWidth(90);
    stepsB.setId("imageStepsB");
    stepsB.setEditable(true);
    stepsB.setPrefWidth(90);
    seed.setId("imageSeedSpinner");
    seed.setEditable(true);
    seed.setPrefWidth(110);
    compare.setId("imageCompareCheck");
    generate.setId("imageGenerateButton");
    generate.getStyleClass().add("primary-button");
    generate.setOnAction(e -> generate());
    cancel.setId("imageCancelButton");
    cancel.setDisable(true);
    cancel.setOnAction(e -> {
      if (job != null) {
        lab.service().cancel(job);
      }
    });
    Button ddpm = new Button("B = DDPM");
    ddpm.setId("imageDdpmPresetButton");
    ddpm.setOnAction(e -> {
      LabService.ImageModelInfo m = lab.modelProperty().get();
      stepsB.getValueFactory().setValue(m == null ? 1000 : m.config().diffusion().steps());
      etaB.setValue(1);
      compare.setSelected(true);
    });
    interval.setId("imageGuidanceIntervalCheck");
    interval.setVisible(false);
    interval.setManaged(false);
    Label guidanceValue = new Label();
    guidanceValue.textProperty().bind(guidance.valueProperty().asString("w = %.1f"));
    Label etaAValue = new Label();
    etaAValue.textProperty().bind(etaA.valueProperty().asString("η = %.2f"));
    Label etaBValue = new Label();
    etaBValue.textProperty().bind(etaB.valueProperty().asString("η = %.2f"));
    FlowPane settings = new FlowPane(10, 8,
        field("Class", klass), field("Guidance", new HBox(6, guidance, guidanceValue,
            interval)),
        field("Seed", seed),
        field("A: steps", stepsA), field("A: noise", new HBox(6, etaA, etaAValue)),
        compare, field("B: steps", stepsB), field("B: noise", new HBox(6, etaB, etaBValue)),
        ddpm, generate, cancel);
    settings.setAlignment(Pos.CENTER_LEFT);
    stepsB.disableProperty().bind(compare.selectedProperty().not());
    etaB.disableProperty().bind(compare.selectedProperty().not());
    status.setId("imageDenoiseStatus");
    status.setWrapText(true);
    scrubber.setId("imageScrubber");
    scrubber.setPrefWidth(560);
    scrubber.setBlockIncrement(0.02);
    scrubber.valueProperty().addListener((o, x, y) -> showStep());
    scrubLabel.setId("imageScrubLabel");
    Button exportGrid = new Button("Export grid PNG…");
    exportGrid.setId("imageExportGridButton");
    exportGrid.setOnAction(e -> exportGrid());
    Button exportGif = new Button("Export GIF…");
    exportGif.setId("imageExportGifButton");
    exportGif.setOnAction(e -> exportGif());
    HBox scrubRow = new HBox(10, new Label("Noise → picture"), scrubber, scrubLabel, exportGrid,
        exportGif);
    scrubRow.setAlignment(Pos.CENTER_LEFT);
    VBox top = new VBox(8, modelLabel, settings, status, scrubRow);
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);
    rowA = row("A", noisyA, cleanA);
    rowB = row("B", noisyB, cleanB);
    for (VBox r : new VBox[]{rowA, rowB}) {
      r.setVisible(false);
      r.setManaged(false);
    }
    Label empty = new Label("Press Generate: sixteen pictures are drawn from pure noise, and"
        + " every step is kept — the noisy x_t and the model's guess x̂₀ of the finished"
        + " picture — to scrub through here.");
    empty.setId("imageDenoiseEmpty");
    empty.getStyleClass().add("hint");
    empty.setWrapText(true);
    empty.visibleProperty().bind(rowA.visibleProperty().not());
    empty.managedProperty().bind(empty.visibleProperty());
    setCenter(new FlowPane(16, 16, empty, rowA, rowB));
    lab.modelProperty().addListener((o, x, m) -> useModel(m));
    useModel(lab.modelProperty().get());
    lab.trainingProperty().addListener((o, x, y) -> updateButtons());
    updateButtons();
  }

  private static Slider slider(String id, double lo, double hi, double value) {
    Slider s = new Slider(lo, hi, value);
    s.setId(id);
    s.setPrefWidth(110);
    s.setBlockIncrement((hi - lo) / 20);
    return s;
  }

  private static HBox field(String name, javafx.scene.Node control) {
    Label l = new Label(name);
    l.getStyleClass().add("field-name");
    HBox box = new HBox(6, l, control);
    box.setAlignment(Pos.CENTER_LEFT);
    return box;
  }

  private static VBox row(String name, ImageView noisy, ImageView clean) {
    GridPane g = new GridPane();
    g.setHgap(12);
    g.setVgap(4);
    Label n = new Label(name + ": x_t at this step");
    n.getStyleClass().add("card-title");
    Label c = new Label(name + ": x̂₀, the model's guess");
    c.getStyleClass().add("card-title");
    g.add(n, 0, 0);
    g.add(c, 1, 0);
    g.add(noisy, 0, 1);
    g.add(clean, 1, 1);
    VBox box = new VBox(g);
    box.getStyleClass().add("card");
    box.setPadding(new Insets(8));
    return box;
  }

  private void useModel(LabService.ImageModelInfo m) {
    klass.getItems().clear();
    if (m == null) {
      status.setText("No image model open: start a quick test in Train, or open an image"
          + " checkpoint (File → Open checkpoint…).");
      updateButtons();
      return;
    }
    if (m.config().model().classConditional()) {
      klass.getItems().add("Each class in turn");
    }
    klass.getItems().add("No class (unconditional)");
    if (m.config().model().classConditional()) {
      klass.getItems().addAll(m.manifest().classNames());
    }
    klass.getSelectionModel().select(0);
    GaussianConfig.Sampler s = m.config().sampler();
    int t = m.config().diffusion().steps();
    ((javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) stepsA
        .getValueFactory()).setMax(t);
    ((javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) stepsB
        .getValueFactory()).setMax(t);
    stepsA.getValueFactory().setValue(Math.min(t, s.steps()));
    stepsB.getValueFactory().setValue(t);
    etaA.setValue(s.eta());
    guidance.setValue(s.guidance());
    guidance.setDisable(!m.config().model().classConditional());
    modelInterval = s.guidanceInterval();
    boolean limited = s.guidanceLimited() && m.config().model().classConditional();
    interval.setVisible(limited);
    interval.setManaged(limited);
    interval.setSelected(limited);
    interval.setText(String.format("only t/T %.2f–%.2f", s.guidanceFrom(), s.guidanceTo()));
    interval.setTooltip(new javafx.scene.control.Tooltip("The model's sampler guides only the"
        + " steps in this part of the forward process (one network pass at the others);"
        + " clear it to guide every step."));
    status.setText("Generate draws " + COUNT + " pictures and records every step; drag the"
        + " scrubber (or use the arrow keys on it) to go back and forth.");
    updateButtons();
  }

  private void updateButtons() {
    boolean training = lab.trainingProperty().get();
    generate.setDisable(busy || training || lab.modelProperty().get() == null);
    cancel.setDisable(!busy);
    if (training && !busy) {
      status.setText("A run is training on the engine; sampling waits until it ends.");
    }
  }

  private int[] classes(LabService.ImageModelInfo m) {
    int choice = klass.getSelectionModel().getSelectedIndex();
    if (!m.config().model().classConditional()) {
      return null;
    }
    int k = m.manifest().classNames().length;
    int[] out = new int[COUNT];
    if (choice == 0) {
      for (int i = 0; i < COUNT; i++) {
        out[i] = i % k;
      }
      return out;
    }
    if (choice == 1) {
      return null;
    }
    java.util.Arrays.fill(out, choice - 2);
    return out;
  }

  private void generate() {
    LabService.ImageModelInfo m = lab.modelProperty().get();
    if (m == null) {
      return;
    }
    int[] asked = classes(m);
    long s = seed.getValue();
    java.util.List<Double> span = interval.isSelected() ? modelInterval : null;
    GaussianConfig.Sampler samplerA = new GaussianConfig.Sampler(stepsA.getValue(),
        etaA.getValue(), guidance.getValue(), COUNT, span);
    GaussianConfig.Sampler samplerB = new GaussianConfig.Sampler(stepsB.getValue(),
        etaB.getValue(), guidance.getValue(), COUNT, span);
    boolean both = compare.isSelected();
    busy = true;
    updateButtons();
    status.setText(String.format("Sampling A (%d steps, η %.2f)%s…", samplerA.steps(),
        samplerA.eta(), both
            ? String.format(" and B (%d steps, η %.2f)", samplerB.steps(),
                samplerB.eta())
            : ""));
    long began = System.nanoTime();
    CompletableFuture<ImageSamples> first = lab.service().generateImages(m.dir(), samplerA,
        asked, s, true);
    job = first;
    first.whenComplete((ra, ea) -> Platform.runLater(() -> {
      if (ea != null) {
        done(ea);
        return;
      }
      a = ra;
      b = null;
      if (!both) {
        done(null);
        status.setText(String.format("A: %d steps in %.1f s.", ra.timesteps().length,
            (System.nanoTime() - began) / 1e9));
        return;
      }
      CompletableFuture<ImageSamples> second = lab.service().generateImages(m.dir(), samplerB,
          asked, s, true);
      job = second;
      second.whenComplete((rb, eb) -> Platform.runLater(() -> {
        if (eb == null) {
          b = rb;
        }
        done(eb);
        if (eb == null) {
          status.setText(String.format("A: %d steps, B: %d steps, the same start noise;"
              + " %.1f s.", a.timesteps().length, b.timesteps().length,
              (System.nanoTime() - began) / 1e9));
        }
      }));
    }));
  }

  private void done(Throwable error) {
    busy = false;
    job = null;
    updateButtons();
    rowA.setVisible(a != null);
    rowA.setManaged(a != null);
    rowB.setVisible(b != null);
    rowB.setManaged(b != null);
    if (error != null) {
      if (AppSession.cancelled(error)) {
        status.setText("Cancelled.");
      } else {
        Errors.show("Sampling pictures", error);
      }
    }
    // ←/→ on the scrubber move one step of A's run, Home/End to the noise and the pictures
    scrubber.setBlockIncrement(a == null ? 0.02 : 1.0 / a.timesteps().length);
    scrubber.setValue(1);
    showStep();
  }

  /** The scrubber runs from the start noise (0) to the finished pictures (1) of each run. */
  private void showStep() {
    double at = scrubber.getValue();
    String a1 = draw(a, at, noisyA, cleanA);
    String b1 = b == null ? null : draw(b, at, noisyB, cleanB);
    scrubLabel.setText(a == null ? "" : "A: " + a1 + (b1 == null ? "" : " · B: " + b1));
  }

  private static String draw(ImageSamples s, double at, ImageView noisy, ImageView clean) {
    if (s == null) {
      return null;
    }
    int n = s.timesteps().length;
    int k = (int) Math.round(at * n); // 0 … n: n is the finished pictures
    if (k >= n) {
      noisy.setImage(Pictures.grid(s.images(), s.height(), s.width(), COLUMNS, SCALE, 1f));
      clean.setImage(Pictures.grid(s.images(), s.height(), s.width(), COLUMNS, SCALE, 1f));
      return "finished (" + n + " steps)";
    }
    noisy.setImage(Pictures.grid(s.noisy().get(k), s.height(), s.width(), COLUMNS, SCALE, 1f));
    clean.setImage(Pictures.grid(s.denoised().get(k), s.height(), s.width(), COLUMNS, SCALE,
        1f));
    return String.format("step %d of %d (t = %d)", k + 1, n, s.timesteps()[k]);
  }

  private void exportGrid() {
    if (a == null) {
      Errors.show("Generate pictures first; the grid exports the finished ones.");
      return;
    }
    FileChooser fc = new FileChooser();
    fc.setTitle("Export the grid as PNG");
    fc.setInitialFileName("samples.png");
    File f = fc.showSaveDialog(getScene().getWindow());
    if (f != null) {
      try {
        ImageGrid.write(f.toPath(), a.images(), a.height(), a.width(), COLUMNS, 4);
        Notices.saved(f.toPath());
      } catch (RuntimeException e) {
        Errors.show("Exporting " + f.getName(), e);
      }
    }
  }

  private void exportGif() {
    if (a == null) {
      Errors.show("Generate pictures first; the GIF shows x_t of every step.");
      return;
    }
    FileChooser fc = new FileChooser();
    fc.setTitle("Export the run as a GIF");
    fc.setInitialFileName("denoising.gif");
    File f = fc.showSaveDialog(getScene().getWindow());
    if (f != null) {
      List<BufferedImage> frames = new ArrayList<>();
      int n = a.timesteps().length;
      int every = Math.max(1, n / 60); // at most about sixty frames
      for (int k = 0; k < n; k += every) {
        frames.add(ImageGrid.of(a.noisy().get(k), a.height(), a.width(), COLUMNS, 3));
      }
      frames.add(ImageGrid.of(a.images(), a.height(), a.width(), COLUMNS, 3));
      try {
        dev.diffulab.ui.common.GifWriter.write(frames, 80, f.toPath());
        Notices.saved(f.toPath());
      } catch (java.io.IOException | RuntimeException e) {
        Errors.show("Exporting " + f.getName(), e);
      }
    }
  }
}
