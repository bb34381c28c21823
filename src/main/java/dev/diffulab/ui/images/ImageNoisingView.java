package dev.diffulab.ui.images;

import dev.diffulab.core.gaussian.ImageNoising;
import dev.diffulab.core.image.ImageFolders;
import dev.diffulab.core.image.ImageSet;
import dev.diffulab.engine.LabService;
import dev.diffulab.ui.common.AppSession;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Noising, the image counterpart of Masking: a real picture, a slider 10–100 % along the
 * forward process, and at that step x_t, the model's x̂₀ and ε̂ beside the true ε, with the
 * errors and the signal-to-noise ratio there. The noise is drawn once per picture, so the slider
 * shows the same noise growing.
 */
public final class ImageNoisingView extends BorderPane {
  private static final int SCALE = 6;
  private final ImageLab lab;
  private final Slider slider = new Slider(10, 100, 50);
  private final Spinner<Integer> picture = new Spinner<>();
  private final CheckBox askClass = new CheckBox("Tell the model the class");
  private final Label pictureLabel = new Label();
  private final Label reading = new Label();
  private final ImageView original = Pictures.view("noisingOriginal");
  private final ImageView noisy = Pictures.view("noisingNoisy");
  private final ImageView denoised = Pictures.view("noisingDenoised");
  private final ImageView predicted = Pictures.view("noisingPredictedNoise");
  private final ImageView truth = Pictures.view("noisingTrueNoise");
  private final dev.diffulab.ui.chart.LiveLineChart curve = new dev.diffulab.ui.chart.LiveLineChart(
      "noisingCurveChart",
      "The model's errors on this picture along the forward process", "t",
      "mean squared error");
  private final org.jfree.data.xy.XYSeries noiseLine = curve.addSeries("error of ε̂",
      ImageTrainView.ORANGE, false, false);
  private final org.jfree.data.xy.XYSeries imageLine = curve.addSeries("error of x̂₀",
      ImageTrainView.BLUE, false, false);
  private final org.jfree.data.xy.XYSeries hereNoise = curve.addSeries("here: ε̂",
      ImageTrainView.ORANGE, false, true);
  private final org.jfree.data.xy.XYSeries hereImage = curve.addSeries("here: x̂₀",
      ImageTrainView.BLUE, false, true);
  private ImageSet pictures;
  private Path picturesOf;
  private boolean inFlight;
  private boolean again;

  public ImageNoisingView(AppSession session, ImageLab lab) {
    this.lab = lab;
    setId("imageNoisingWorkspace");
    setPadding(new Insets(12));
    Label modelLabel = new Label();
    modelLabel.setId("noisingModelLabel");
    modelLabel.textProperty().bind(lab.labelProperty());
    Label intro = new Label("Drag the slider along the forward process: x_t = √ᾱ_t x₀ +"
        + " √(1 − ᾱ_t) ε. At every step the model guesses the noise ε̂, and with it the clean"
        + " picture x̂₀ = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t.");
    intro.setWrapText(true);
    intro.getStyleClass().add("intro");
    slider.setId("noiseSlider");
    slider.setShowTickLabels(true);
    slider.setShowTickMarks(true);
    slider.setMajorTickUnit(10);
    slider.setMinorTickCount(0);
    slider.setSnapToTicks(false);
    slider.setBlockIncrement(5);
    slider.setPrefWidth(420);
    slider.valueProperty().addListener((o, a, b) -> request());
    picture.setId("noisingPictureSpinner");
    picture.setEditable(true);
    picture.setPrefWidth(110);
    picture.valueProperty().addListener((o, a, b) -> showPicture());
    Button another = new Button("Another picture");
    another.setId("noisingAnotherButton");
    another.setOnAction(e -> {
      if (pictures != null) {
        picture.getValueFactory().setValue(new Random().nextInt(pictures.size()));
      }
    });
    askClass.setId("noisingAskClassCheck");
    askClass.setSelected(true);
    askClass.selectedProperty().addListener((o, a, b) -> {
      requestCurve();
      request();
    });
    pictureLabel.setId("noisingPictureLabel");
    reading.setId("noisingReading");
    reading.setWrapText(true);
    HBox row = new HBox(10, new Label("Noise"), slider, new Label("Picture"), picture, another,
        askClass);
    row.setAlignment(Pos.CENTER_LEFT);
    VBox top = new VBox(8, modelLabel, intro, row, pictureLabel);
    top.setPadding(new Insets(0, 0, 10, 0));
    setTop(top);
    FlowPane panes = new FlowPane(14, 14,
        card("x₀ — the picture", original),
        card("x_t — noised", noisy),
        card("x̂₀ — the model's guess", denoised),
        card("ε̂ — the noise it sees", predicted),
        card("ε — the noise added", truth));
    curve.setPrefHeight(300);
    VBox center = new VBox(12, panes, reading, curve);
    javafx.scene.layout.VBox.setVgrow(curve, javafx.scene.layout.Priority.ALWAYS);
    setCenter(center);
    lab.modelProperty().addListener((o, a, m) -> load());
    lab.trainingProperty().addListener((o, a, b) -> {
      if (!b) {
        requestCurve();
        request();
      }
    });
    load();
  }

  private static VBox card(String title, ImageView view) {
    Label t = new Label(title);
    t.getStyleClass().add("card-title");
    VBox box = new VBox(6, t, view);
    box.getStyleClass().add("card");
    box.setPadding(new Insets(8));
    return box;
  }

  /** The pictures of the open model's kind: its folder's, or FashionMNIST's test split. */
  private void load() {
    LabService.ImageModelInfo m = lab.modelProperty().get();
    if (m == null) {
      reading.setText("No image model open: start a quick test in Train, or open an image"
          + " checkpoint (File → Open checkpoint…).");
      return;
    }
    var data = m.config().data();
    Path source = "folder".equals(data.source()) ? Path.of(data.path()) : null;
    if (pictures != null && java.util.Objects.equals(source, picturesOf)
        && pictures.height() == m.manifest().height()) {
      requestCurve();
      request();
      return;
    }
    reading.setText("Reading the pictures…");
    CompletableFuture<ImageSet> set = source != null
        ? CompletableFuture.supplyAsync(() -> ImageFolders.read(source, m.manifest().height(),
            m.manifest().width()))
        : lab.testSet();
    set.whenComplete((s, error) -> Platform.runLater(() -> {
      if (error != null) {
        reading.setText("The pictures cannot be read: " + dev.diffulab.ui.common.Errors
            .sentence("Reading pictures", error));
        return;
      }
      pictures = s;
      picturesOf = source;
      int current = picture.getValue() == null ? 0 : Math.min(picture.getValue(), s.size() - 1);
      picture.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0,
          s.size() - 1, current));
      showPicture();
    }));
  }

  private void showPicture() {
    if (pictures == null || picture.getValue() == null) {
      return;
    }
    int i = picture.getValue();
    original.setImage(Pictures.one(pictures.signed(i), pictures.height(), pictures.width(),
        SCALE, 1f));
    pictureLabel.setText(String.format("Picture %,d of %,d · %s", i, pictures.size(),
        pictures.classNames()[pictures.labels()[i]]));
    requestCurve();
    request();
  }

  private int label(LabService.ImageModelInfo m, int i) {
    return askClass.isSelected() && m.config().model().classConditional()
        ? pictures.labels()[i]
        : -1;
  }

  /** The errors along the whole process for this picture (once per picture, model, class). */
  private void requestCurve() {
    LabService.ImageModelInfo m = lab.modelProperty().get();
    if (m == null || pictures == null || picture.getValue() == null
        || lab.trainingProperty().get()) {
      return;
    }
    int i = picture.getValue();
    lab.session().deliver("Measuring the errors along the forward process",
        lab.service().noiseCurve(m.dir(), pictures.signed(i), label(m, i), 1000L + i), c -> {
          double[] t = new double[c.t().length];
          for (int k = 0; k < t.length; k++) {
            t[k] = c.t()[k];
          }
          curve.replace(noiseLine, t, c.noiseError());
          curve.replace(imageLine, t, c.imageError());
          curve.flush();
        });
  }

  /** Asks the engine for the current slider value; while one request runs, only the newest waits. */
  private void request() {
    LabService.ImageModelInfo m = lab.modelProperty().get();
    if (m == null || pictures == null || picture.getValue() == null) {
      return;
    }
    if (lab.trainingProperty().get()) {
      reading.setText("A run is training on the engine; the model's guesses come when it ends.");
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    int i = picture.getValue();
    double fraction = slider.getValue() / 100.0;
    int label = label(m, i);
    lab.session().deliver("Noising a picture", lab.service().noiseImage(m.dir(),
        pictures.signed(i), label, fraction, 1000L + i), this::show)
        .whenComplete((r, e) -> Platform.runLater(() -> {
          inFlight = false;
          if (again) {
            again = false;
            request();
          }
        }));
  }

  private void show(ImageNoising n) {
    curve.replace(hereNoise, new double[]{n.t()}, new double[]{n.noiseError()});
    curve.replace(hereImage, new double[]{n.t()}, new double[]{n.imageError()});
    curve.flush();
    noisy.setImage(Pictures.one(n.noisy(), n.height(), n.width(), SCALE, 1f));
    denoised.setImage(Pictures.one(n.denoised(), n.height(), n.width(), SCALE, 1f));
    predicted.setImage(Pictures.one(n.predictedNoise(), n.height(), n.width(), SCALE, 2.5f));
    truth.setImage(Pictures.one(n.noise(), n.height(), n.width(), SCALE, 2.5f));
    reading.setText(String.format("%.0f %% of the way: t = %d of %d · SNR ᾱ/(1 − ᾱ) = %.3g"
        + " (signal share √ᾱ = %.2f) · error of ε̂: %.4f · error of x̂₀: %.4f (mean squared,"
        + " pixels on [−1, 1])", 100 * n.fraction(), n.t(), n.steps(), n.snr(),
        Math.sqrt(n.snr() / (1 + n.snr())), n.noiseError(), n.imageError()));
  }
}
