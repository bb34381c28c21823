package dev.diffulab.ui.train;

import static dev.diffulab.ui.train.TrainWorkspaceView.BLUE;
import static dev.diffulab.ui.train.TrainWorkspaceView.GREEN;
import static dev.diffulab.ui.train.TrainWorkspaceView.ORANGE;
import static dev.diffulab.ui.train.TrainWorkspaceView.PURPLE;
import static dev.diffulab.ui.train.TrainWorkspaceView.VERMILLION;

import dev.diffulab.core.config.Method;
import dev.diffulab.core.snapshot.EvalPoint;
import dev.diffulab.ui.chart.ChartExport;
import dev.diffulab.ui.chart.EntropyCurveChart;
import dev.diffulab.ui.chart.LiveLineChart;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.Notices;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.jfree.data.xy.XYSeries;

/**
 * The Train workspace's charts: the loss (raw, smoothed, validation, an overlaid earlier run)
 * beside the loss by mask ratio or CDCD's entropy-versus-σ curve, and the preview samples'
 * validity with their worst attribute distance to the corpus; with smoothing, log y, Fit and
 * export.
 */
final class TrainCharts extends VBox {
  private final LiveLineChart lossChart;
  private final LiveLineChart ratioChart;
  private final EntropyCurveChart entropyChart;
  private final LiveLineChart samplesChart;

  TrainCharts(TrainViewModel model) {
    LiveLineChart loss = new LiveLineChart("lossChart", "Training loss", "step", "nats");
    XYSeries raw = loss.addSeries("loss", BLUE, true, false);
    XYSeries smooth = loss.addSeries("smoothed", BLUE, false, false);
    XYSeries overlaid = loss.addSeries("overlaid run", ORANGE, true, false);
    model.overlayProperty().addListener((o, a, r) -> {
      if (r == null) {
        overlaid.clear();
      } else {
        loss.replace(overlaid, r.steps(), r.losses());
      }
      overlaid.setKey("overlay: " + (r == null ? "none" : r.id()));
      loss.flush();
    });
    // named by the first evaluation (each family measures its own held-out loss)
    XYSeries val = loss.addSeries("validation loss", ORANGE, false, true);
    XYSeries nelbo = loss.addSeries("validation NELBO (nats/token)", VERMILLION, false, true);
    model.curves().onLoss(rows -> {
      rows.forEach(r -> {
        loss.add(raw, r.step(), r.raw());
        loss.add(smooth, r.step(), r.smoothed());
      });
      loss.flushStream();
    });
    model.curves().onResmooth(curve -> {
      loss.replace(smooth, curve[0], curve[1]);
      loss.flush();
    });
    model.curves().onEval(points -> {
      for (EvalPoint p : points) {
        val.setKey(p.measure().label());
        loss.add(val, p.step(), p.measure().heldOut());
        p.measure().boundNats().ifPresent(b -> loss.add(nelbo, p.step(), b));
      }
      loss.flush();
    });
    LiveLineChart levels = new LiveLineChart("ratioChart", "Loss by mask ratio",
        "mask ratio (%)", "masked cross-entropy (nats)");
    XYSeries curve = levels.addSeries("recent steps", GREEN, false, false);
    java.util.function.Consumer<Method> relabel = m -> {
      if (m != null) {
        levels.setTitle("Loss by " + (m.noisesWholeText() ? "noise level" : "mask ratio"));
        levels.setXLabel(m.levelAxis());
        levels.setYLabel(m.levelLoss());
      }
    };
    relabel.accept(model.methodProperty().get());
    model.methodProperty().addListener((o, was, now) -> relabel.accept(now));
    model.curves().noiseLevelsProperty().addListener((o, was, now) -> {
      if (now != null) {
        double[] pct = Arrays.stream(now[0]).map(x -> 100 * x).toArray();
        levels.replace(curve, pct, now[1]);
        levels.flushStream();
      }
    });
    EntropyCurveChart entropy = new EntropyCurveChart();
    StackPane noiseLevels = new StackPane(levels, entropy);
    noiseLevels.setId("entropyChart");
    entropy.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
        () -> model.methodProperty().get() != null
            && model.methodProperty().get().curve() == Method.Curve.ENTROPY_BY_SIGMA,
        model.methodProperty()));
    levels.visibleProperty().bind(entropy.visibleProperty().not());
    model.curves().entropyCurveProperty().addListener((o, a, c) -> {
      if (c != null) {
        entropy.show(c);
      }
    });
    LiveLineChart quality = new LiveLineChart("samplesChart",
        "Preview samples: right and varied", "step", "fraction / distance");
    XYSeries valid = quality.addSeries("valid stories", GREEN, false, true);
    // a run measured by accuracy (answers, reconstruction) has its own line: a latent-diffusion
    // run has both, its autoencoder's reconstruction first, then its stories
    XYSeries exact = quality.addSeries("exact", PURPLE, false, true);
    XYSeries worst = quality.addSeries("worst attribute TV to the corpus", VERMILLION, false,
        true);
    XYSeries floor = quality.addSeries("TV as many corpus stories show", VERMILLION, true, false);
    XYSeries partials = quality.addSeries("right partial products (facts, ROUGE-L)", BLUE, false,
        true);
    model.curves().onAccuracy(points -> {
      // a prompt → response run: its previews are held-out answers, right or wrong
      for (var a : points) {
        exact.setKey(a.measured().exactSeries());
        partials.setKey(a.measured().partsSeries());
        quality.setTitle(a.measured().title());
        // from this stream, not the previews: a preview the window had no time to show is
        // replaced by the next, an accuracy point never is
        quality.add(exact, a.step(), a.exact());
        if (Double.isFinite(a.partialShare())) {
          quality.add(partials, a.step(), a.partialShare());
        }
      }
      quality.flush();
    });
    model.curves().onSamples(p -> {
      if (!p.graded()) {
        p.validFraction().ifPresent(v -> quality.add(valid, p.step(), v));
      }
      p.distributionMatch().ifPresent(m -> {
        quality.add(worst, p.step(), m.distance());
        quality.add(floor, p.step(), m.floor());
        worst.setKey("worst attribute TV (now: " + m.attribute() + ")");
      });
      quality.flush();
    });
    this.samplesChart = quality;
    this.lossChart = loss;
    this.ratioChart = levels;
    this.entropyChart = entropy;
    model.curves().onReset(() -> {
      model.overlay(null);
      loss.clear();
      levels.clear();
      quality.clear();
      exact.setKey("exact");
      quality.setTitle("Preview samples: right and varied");
    });

    Slider smoothing = new Slider(0, 0.99, 0.9);
    smoothing.setId("smoothingSlider");
    smoothing.valueProperty()
        .addListener((o, a, b) -> model.curves().setSmoothing(b.doubleValue()));
    CheckBox logY = new CheckBox("log y");
    logY.setId("logYToggle");
    logY.selectedProperty().addListener((o, a, b) -> loss.setLogY(b));
    Button fit = new Button("Fit");
    fit.setId("fitButton");
    fit.setOnAction(e -> {
      loss.fit();
      levels.fit();
      quality.fit();
    });
    Button export = new Button("Export charts…");
    export.setId("exportChartsButton");
    export.setTooltip(new Tooltip("Each chart as PNG and every series as CSV, into a folder"));
    export.setOnAction(e -> {
      DirectoryChooser dc = new DirectoryChooser();
      dc.setTitle("Folder for the exported charts");
      File d = dc.showDialog(getScene().getWindow());
      if (d != null) {
        try {
          exportCharts(d.toPath());
          Notices.done("Charts exported", "PNG and CSV files in " + d.getName(), d.toPath());
        } catch (IOException ex) {
          Errors.show("Exporting charts to " + d, ex);
        }
      }
    });
    HBox chartTools = new HBox(8, new Label("Smoothing"), smoothing, logY, fit, export);
    chartTools.setAlignment(Pos.CENTER_LEFT);
    HBox charts = new HBox(10, loss, noiseLevels, quality);
    HBox.setHgrow(loss, Priority.ALWAYS);
    HBox.setHgrow(noiseLevels, Priority.ALWAYS);
    HBox.setHgrow(quality, Priority.ALWAYS);
    setSpacing(6);
    getChildren().setAll(chartTools, charts);
    VBox.setVgrow(charts, Priority.ALWAYS);

  }

  /**
   * Writes loss.png/.csv and the per-noise-level chart (ratio.png/.csv, or entropy.png/.csv for
   * CDCD) into {@code dir}: PNGs with axes and legend, CSVs with every point.
   */
  void exportCharts(Path dir) throws IOException {
    Files.createDirectories(dir);
    ChartExport.png(lossChart.chart(), dir.resolve("loss.png"), 1000, 600);
    ChartExport.csv(lossChart.series(), dir.resolve("loss.csv"));
    if (entropyChart.isVisible()) {
      ChartExport.png(entropyChart.chart(), dir.resolve("entropy.png"), 1000,
          600);
      ChartExport.csv(entropyChart.series(), dir.resolve("entropy.csv"));
    } else {
      ChartExport.png(ratioChart.chart(), dir.resolve("ratio.png"), 1000,
          600);
      ChartExport.csv(ratioChart.series(), dir.resolve("ratio.csv"));
    }
    ChartExport.png(samplesChart.chart(), dir.resolve("samples.png"), 1000, 600);
    ChartExport.csv(samplesChart.series(), dir.resolve("samples.csv"));
  }

}
