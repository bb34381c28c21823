package dev.diffulab.ui.chart;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;

/** Writes a chart as a PNG (axes and legend included) and its series as CSV. */
public final class ChartExport {
  private ChartExport() {
  }

  public static void png(JFreeChart chart, Path file, int width, int height) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
  }

  /** Any part of the window as it is drawn now, as a PNG. */
  public static void png(javafx.scene.Node node, Path file) throws IOException {
    var image = node.snapshot(null, null);
    javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image, null), "png",
        file.toFile());
  }

  /** One row per point: series name, x, y — every point the chart holds. */
  public static void csv(List<XYSeries> series, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("series,x,y\n");
      for (XYSeries s : series) {
        String name = "\"" + s.getKey().toString().replace("\"", "\"\"") + "\"";
        for (int i = 0; i < s.getItemCount(); i++) {
          w.write(String.format(Locale.ROOT, "%s,%s,%s%n", name, s.getX(i), s.getY(i)));
        }
      }
    }
  }
}
