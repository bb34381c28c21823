package dev.diffulab.ui.denoise;

import dev.diffulab.core.snapshot.TraceJson;
import dev.diffulab.ui.chart.ChartExport;
import dev.diffulab.ui.common.Errors;
import dev.diffulab.ui.common.Notices;
import dev.diffulab.ui.common.GifWriter;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.stage.FileChooser;

/**
 * The Denoise workspace's exports: the recorded run as trace JSON, the shown step as a PNG, and
 * every step of the shown sample as an animated GIF.
 */
final class DenoiseExports extends HBox {
  private final DenoiseViewModel model;
  private final TraceChips chips;

  DenoiseExports(DenoiseViewModel model, TraceChips chips) {
    super(8);
    this.model = model;
    this.chips = chips;
    getChildren().setAll(new Label("Export"),
        button("Trace JSON…", "exportTraceButton", this::exportJson),
        button("PNG of this step…", "exportStepPngButton", this::exportPng),
        button("Animated GIF…", "exportGifButton", this::exportGif));
    setAlignment(Pos.CENTER_LEFT);
  }

  private static Button button(String text, String id, Runnable action) {
    Button b = new Button(text);
    b.setId(id);
    b.setOnAction(e -> action.run());
    return b;
  }

  private File save(String name, String extension) {
    FileChooser fc = new FileChooser();
    fc.setInitialFileName(name);
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(extension, "*." + extension));
    return fc.showSaveDialog(getScene().getWindow());
  }

  /** Runs {@code write} into a chosen file; a failure is shown, naming the file. */
  private void export(File f, Exporter write) {
    if (f != null) {
      try {
        write.to(f.toPath());
        Notices.saved(f.toPath());
      } catch (IOException e) {
        Errors.show("Exporting " + f.getName(), e);
      }
    }
  }

  @FunctionalInterface
  private interface Exporter {
    void to(Path file) throws IOException;
  }

  private void exportJson() {
    export(model.tracesAProperty().get().isEmpty() ? null : save("trace.json", "json"),
        file -> Files.writeString(file, TraceJson.write(model.tracesAProperty().get())));
  }

  private void exportPng() {
    export(model.current(false) == null ? null : save("step.png", "png"),
        file -> ChartExport.png(chips, file));
  }

  private void exportGif() {
    export(model.current(false) == null ? null : save("denoising.gif", "gif"), this::writeGif);
  }

  /** Renders every step of the shown sample and writes them as an animated GIF (FX thread). */
  void writeGif(Path file) throws IOException {
    int keep = model.stepProperty().get();
    List<BufferedImage> frames = new ArrayList<>();
    for (int s = 0; s <= model.stepsProperty().get(); s++) {
      model.setStep(s);
      chips.applyCss();
      chips.layout();
      BufferedImage img = SwingFXUtils.fromFXImage(chips.snapshot(null, null), null);
      BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(),
          BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(img, 0, 0, null);
      frames.add(rgb);
    }
    model.setStep(keep);
    GifWriter.write(frames, 250, file);
  }
}
