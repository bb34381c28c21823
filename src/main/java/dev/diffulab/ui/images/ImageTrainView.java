package dev.diffulab.ui.images;

import dev.diffulab.core.gaussian.GaussianConfig;
import dev.diffulab.core.gaussian.ImagePreview;
import dev.diffulab.core.gaussian.ImageProgress;
import dev.diffulab.core.gaussian.ImageRunResult;
import dev.diffulab.core.gaussian.NoiseSchedule;
import dev.diffulab.engine.LabService;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.AppSession;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.Notices;
import java.awt.Color;
import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.jfree.data.xy.XYSeries;

/**
 * Train, for pictures: a one-click quick test (a small U-Net on FashionMNIST, a few minutes on
 * a CPU), the demo recipe, or any image config; the loss live, the loss in ten buckets of t
 * beside the schedule's log SNR(t), a grid of samples from the current model that refreshes
 * during the run, and their recognisable fraction and Fréchet distance to real pictures beside
 * the real floor. A finished run becomes the model of the other two image workspaces.
 */
public final class ImageTrainView extends BorderPane {
  static final Color BLUE = new Color(0x0072B2);
  static final Color ORANGE = new Color(0xE69F00);
  static final Color GREEN = new Color(0x009E73);
  static final Color GREY = new Color(0x777777);
  private final ImageLab lab;
  private final Path runsDir;
  private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
  private final Label status = new Label("Ready. Quick test trains a small U-Net on"
      + " FashionMNIST; the samples below refresh as it learns.");
  private final Label step = new Label("");
  private final ProgressBar progress = new ProgressBar(0);
  private final LiveLineChart loss = new LiveLineChart("imageLossChart", "Training loss", "step",
      "mean squared error");
  private final LiveLineChart byT = new LiveLineChart("imageLossByTChart", "Loss by t (last"
      + " logged steps)", "t", "loss");
  private final LiveLineChart snr = new LiveLineChart("imageSnrChart", "The schedule's log SNR(t)",
      "t", "ln(ᾱ / (1 − ᾱ))");
  private final LiveLineChart quality = new LiveLineChart("imageQualityChart",
      "Recognisable samples (classifier ≥ 0.9 sure)", "step", "fraction");
  private final LiveLineChart frechet = new LiveLineChart("imageFrechetChart",
      "Fréchet distance to real pictures", "step", "classifier features");
  private final XYSeries lossLine = loss.addSeries("loss (smoothed)", BLUE, false, false);
  private final XYSeries byTLine = byT.addSeries("loss by t", ORANGE, false, true);
  private final XYSeries snrLine = snr.addSeries("log SNR(t)", GREEN, false, false);
  private final XYSeries recognisedLine = quality.addSeries("samples", BLUE, false, true);
  private final XYSeries frechetLine = frechet.addSeries("samples", BLUE, false, true);
  private final XYSeries floorLine = frechet.addSeries("real vs real (floor)", GREY, false, true);
  private final ImageView samples = Pictures.view("imageSampleGrid");
  private final Label samplesCaption = new Label("Samples appear here during a run.");
  private CompletableFuture<ImageRunResult> job;
  private boolean progressQueued;
  private ImageProgress latest;

  public ImageTrainView(AppSession session, ImageLab lab, Path runsDir) {
    this.lab = lab;
    this.runsDir = runsDir;
    setId("imageTrainWorkspace");
    setPadding(new Insets(12));
    Button quick = new Button("Quick test");
    quick.setId("imageQuickTestButton");
    quick.getStyleClass().add("primary-button");
    // diffulab.imageQuickTestConfig names another config (the UI tests' tiny one)
    quick.setOnAction(e -> {
      try {
        start(GaussianConfig.loadOrShipped(Path.of(System.getProperty(
            "diffulab.imageQuickTestConfig", "quick-test-images"))));
      } catch (RuntimeException ex) {
        Errors.show("Reading the quick-test config", ex);
      }
    });
    Button demo = new Button("Demo recipe…");
    demo.setId("imageDemoRecipeButton");
    demo.setOnAction(e -> confirmDemo());
    Button fromFile = new Button("Train from config…");
    fromFile.setId("imageConfigButton");
    fromFile.setOnAction(e -> chooseConfig());
    Button folder = new Button("Train on a folder…");
    folder.setId("imageFolderButton");
    folder.setTooltip(new javafx.scene.control.Tooltip("Your own pictures: a folder with one"
        + " subfolder per class (PNG or JPEG, any size; read as 28×28 greyscale), trained with"
        + " the quick test's recipe"));
    folder.setOnAction(e -> chooseFolder());
    Button stop = new Button("Stop");
    stop.setId("imageStopButton");
    stop.disableProperty().bind(running.not());
    lab.trainingProperty().bind(running);
    stop.setOnAction(e -> stop());
    quick.disableProperty().bind(running);
    demo.disableProperty().bind(running);
    fromFile.disableProperty().bind(running);
    folder.disableProperty().bind(running);
    progress.setPrefWidth(180);
    step.setId("imageStepLabel");
    status.setId("imageTrainStatus");
    status.setWrapText(true);
    // Ctrl+Enter is the quick test of the family on show: the text Train workspace binds it
    // when it is shown, this one when it is
    sceneProperty().addListener((o, was, now) -> {
      if (now != null) {
        now.getAccelerators().put(javafx.scene.input.KeyCombination.keyCombination(
            "Shortcut+Enter"), () -> {
              if (!quick.isDisabled()) {
                quick.fire();
              }
            });
      }
    });
    HBox bar = new HBox(8, quick, demo, fromFile, folder, stop, progress, step);
    bar.setAlignment(Pos.CENTER_LEFT);
    VBox top = new VBox(6, bar, status);
    top.setPadding(new Insets(0, 0, 8, 0));
    setTop(top);

    samplesCaption.setId("imageSamplesCaption");
    samplesCaption.setWrapText(true);
    VBox samplePane = new VBox(6, new Label("Samples of the current model (DDIM, 20 steps)"),
        samples, samplesCaption);
    samplePane.getStyleClass().add("card");
    samplePane.setPadding(new Insets(8));
    samplePane.setMinWidth(300);
    samplePane.setMinHeight(0);
    // the grid shrinks to the card, whatever the window's size
    samples.fitHeightProperty().bind(samplePane.heightProperty().subtract(80));
    samples.fitWidthProperty().bind(samplePane.widthProperty().subtract(20));
    ((org.jfree.chart.plot.XYPlot) quality.chart().getPlot()).getRangeAxis().setRange(0, 1);
    GridPane grid = new GridPane();
    grid.setHgap(8);
    grid.setVgap(8);
    grid.add(loss, 0, 0);
    grid.add(byT, 1, 0);
    grid.add(snr, 2, 0);
    grid.add(quality, 0, 1);
    grid.add(frechet, 1, 1);
    grid.add(samplePane, 2, 1);
    for (int c = 0; c < 3; c++) {
      ColumnConstraints cc = new ColumnConstraints();
      cc.setPercentWidth(100.0 / 3);
      cc.setHgrow(Priority.ALWAYS);
      grid.getColumnConstraints().add(cc);
    }
    for (int r = 0; r < 2; r++) {
      RowConstraints rc = new RowConstraints();
      rc.setPercentHeight(50);
      rc.setVgrow(Priority.ALWAYS);
      grid.getRowConstraints().add(rc);
    }
    setCenter(grid);
    lab.modelProperty().addListener((o, a, m) -> {
      if (m != null && !running.get()) {
        drawSnr(m.config());
      }
    });
    drawSnr(GaussianConfig.loadOrShipped(Path.of("quick-test-images")));
  }

  /** True while a run trains. */
  public ReadOnlyBooleanProperty runningProperty() {
    return running.getReadOnlyProperty();
  }

  /** Stops the run at the end of its step; its checkpoint is written first. */
  public void stop() {
    if (job != null) {
      status.setText("Stopping: the checkpoint is written at the end of this step…");
      lab.service().cancel(job);
    }
  }

  private void confirmDemo() {
    GaussianConfig c = GaussianConfig.loadOrShipped(Path.of("demo-images"));
    Alert a = new Alert(Alert.AlertType.CONFIRMATION, String.format("The demo recipe trains a"
        + " U-Net of %d channels for %,d steps of %d pictures — about two hours on a 2-core"
        + " CPU, much less on a GPU. It writes a checkpoint every %,d steps; Stop keeps what"
        + " was trained.", c.model().channels(), c.train().steps(), c.train().batchSize(),
        c.train().checkpointEvery()), ButtonType.CANCEL, ButtonType.OK);
    a.initOwner(getScene().getWindow());
    a.setHeaderText("Train the image demo recipe?");
    dev.diffulab.ui.theme.Appearance.style(a.getDialogPane());
    a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> start(c));
  }

  private void chooseConfig() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Image config");
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON config", "*.json"));
    File f = fc.showOpenDialog(getScene().getWindow());
    if (f != null) {
      try {
        start(GaussianConfig.load(f.toPath()));
      } catch (RuntimeException e) {
        Errors.show("Reading " + f.getName(), e);
      }
    }
  }

  private void chooseFolder() {
    javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
    dc.setTitle("Picture folder (one subfolder per class)");
    File f = dc.showDialog(getScene().getWindow());
    if (f != null) {
      trainOnFolder(f.toPath());
    }
  }

  /**
   * Trains the quick test's recipe on the pictures of {@code folder} (one subfolder per class);
   * a folder that is not one says so and nothing starts.
   */
  public void trainOnFolder(Path folder) {
    if (!java.nio.file.Files.isDirectory(folder)) {
      Errors.show("Picture folder " + folder + " is not a folder");
      return;
    }
    try {
      GaussianConfig quick = GaussianConfig.loadOrShipped(Path.of(System.getProperty(
          "diffulab.imageQuickTestConfig", "quick-test-images")));
      String name = "folder-" + folder.getFileName().toString().replaceAll("[^A-Za-z0-9._-]",
          "_");
      start(quick.withData(name, new GaussianConfig.Data("folder", folder.toString(), 0)));
    } catch (RuntimeException e) {
      Errors.show("Training on " + folder, e);
    }
  }

  /** Starts training {@code c} into runs/NAME; the charts start over. */
  void start(GaussianConfig c) {
    Path out = runsDir.resolve(c.name());
    loss.clear();
    byT.clear();
    quality.clear();
    frechet.clear();
    drawSnr(c);
    samples.setImage(null);
    samplesCaption.setText("Samples appear here during a run.");
    running.set(true);
    progress.setProgress(0);
    step.setText("");
    status.setText("Starting " + c.name() + " (reading the pictures)…");
    int previewEvery = Math.max(50, c.train().steps() / 8);
    job = lab.service().trainImages(new LabService.ImageTrainRequest(c, null, out, null,
        line -> Platform.runLater(() -> status.setText(line)), this::queueProgress,
        p -> Platform.runLater(() -> showPreview(p)), previewEvery));
    job.whenComplete((r, error) -> Platform.runLater(() -> finished(c, out, r, error)));
  }

  /** Steps arrive from the engine thread many times a second: at most one redraw per frame. */
  private void queueProgress(ImageProgress p) {
    synchronized (this) {
      latest = p;
      if (progressQueued) {
        pending.add(p);
        return;
      }
      progressQueued = true;
      pending.add(p);
    }
    Platform.runLater(this::drawProgress);
  }

  private final java.util.List<ImageProgress> pending = new java.util.ArrayList<>();

  private void drawProgress() {
    java.util.List<ImageProgress> rows;
    synchronized (this) {
      rows = new java.util.ArrayList<>(pending);
      pending.clear();
      progressQueued = false;
    }
    for (ImageProgress p : rows) {
      loss.add(lossLine, p.step(), p.loss());
      if (p.lossByT().length > 0) {
        int buckets = p.lossByT().length;
        double[] x = new double[buckets];
        for (int b = 0; b < buckets; b++) {
          x[b] = (b + 0.5) / buckets;
        }
        byT.replace(byTLine, scale(x, lastT), p.lossByT());
        byT.flush();
      }
    }
    loss.flushStream();
    ImageProgress p = rows.get(rows.size() - 1);
    progress.setProgress((double) p.step() / p.totalSteps());
    step.setText(String.format("step %,d / %,d · loss %.4f · %.0f pictures/s · %.0f s",
        p.step(), p.totalSteps(), p.loss(), p.imagesPerSecond(), p.seconds()));
  }

  private int lastT = 1000;

  private static double[] scale(double[] x, int t) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * t;
    }
    return out;
  }

  private void drawSnr(GaussianConfig c) {
    NoiseSchedule s = c.schedule();
    lastT = s.steps();
    int n = Math.min(200, s.steps());
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      int t = 1 + (int) Math.round((double) i * (s.steps() - 1) / Math.max(1, n - 1));
      x[i] = t;
      y[i] = Math.log(Math.max(1e-12, s.snr(t)));
    }
    snr.replace(snrLine, x, y);
    snr.flush();
  }

  private void showPreview(ImagePreview p) {
    var s = p.samples();
    samples.setImage(Pictures.grid(s.images(), s.height(), s.width(), 4, 3, 1f));
    StringBuilder caption = new StringBuilder(String.format("Step %,d", p.step()));
    if (s.asked() != null) {
      caption.append(" · asked, row by row: ");
      for (int i = 0; i < Math.min(4, s.asked().length); i++) {
        caption.append(i == 0 ? "" : ", ").append(s.classNames()[s.asked()[i]]);
      }
      caption.append(", …");
    }
    p.recognisable().ifPresent(r -> {
      quality.add(recognisedLine, p.step(), r);
      quality.flush();
      caption.append(String.format(" · %.0f %% recognisable", 100 * r));
    });
    p.frechet().ifPresent(f -> {
      frechet.add(frechetLine, p.step(), f);
      p.frechetFloor().ifPresent(floor -> frechet.add(floorLine, p.step(), floor));
      frechet.flush();
      caption.append(String.format(" · Fréchet %.1f", f));
    });
    samplesCaption.setText(caption.toString());
  }

  private void finished(GaussianConfig c, Path out, ImageRunResult r, Throwable error) {
    running.set(false);
    job = null;
    if (error != null) {
      if (AppSession.cancelled(error)) {
        status.setText("Stopped.");
      } else {
        status.setText("The run failed: " + Errors.sentence("Training " + c.name(), error));
        Errors.show("Training " + c.name(), error);
      }
      return;
    }
    status.setText(String.format("%s %s at step %,d, loss %.4f, %.0f s; checkpoint %s — now"
        + " the model of Noising and Denoise.", c.name(), r.stopped() ? "stopped" : "finished",
        r.step(), r.finalLoss(), r.seconds(), out));
    if (r.step() > 0 && lab.open(out)) {
      Notices.done("Image run " + (r.stopped() ? "stopped" : "finished"), c.name() + " at step "
          + r.step(), out);
    }
  }
}
