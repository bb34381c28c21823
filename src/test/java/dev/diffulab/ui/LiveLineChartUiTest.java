package dev.diffulab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.diffulab.ui.chart.ChartExport;
import dev.diffulab.ui.chart.LiveLineChart;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationTest;

/** A loss chart with 150,000 points draws a few thousand of them and exports them all. */
class LiveLineChartUiTest extends ApplicationTest {
  private LiveLineChart chart;
  private XYSeries loss;

  @Override
  public void start(Stage stage) {
    chart = new LiveLineChart("bigChart", "Training loss", "step", "nats");
    loss = chart.addSeries("loss", Color.BLUE, true, false);
    stage.setScene(new Scene(chart, 900, 500));
    stage.show();
  }

  @Test
  void aLongRunIsDrawnThinnedFollowedZoomedAndExportedWhole(@TempDir Path dir) throws Exception {
    int n = 150_000;
    interact(() -> {
      for (int step = 1; step <= n; step++) {
        chart.add(loss, step, step == 77_777 ? 50 : 3 + 2 * Math.exp(-step / 20_000.0));
        if (step % 1000 == 0) {
          chart.flush(); // one frame's worth of points at a time, as in training
        }
      }
    });
    var plot = chart.chart().getXYPlot();
    assertEquals(n, loss.getItemCount(), "every point is kept");
    assertTrue(chart.drawnPoints() <= 4 * 900 + 8, "drawn: " + chart.drawnPoints());
    assertTrue(plot.getRangeAxis().getUpperBound() >= 50, "the spike is still drawn");
    assertTrue(plot.getDomainAxis().getUpperBound() >= n, "following the newest step");

    interact(() -> chart.showRange(10_000, 10_500));
    interact(() -> {
    }); // the re-thinning runs on the next pulse
    var shown = chart.chart().getXYPlot().getDataset().getItemCount(0);
    assertTrue(shown >= 500, "zoomed in, every step of the range is drawn: " + shown);
    double first = plot.getDataset().getXValue(0, 0);
    double last = plot.getDataset().getXValue(0, shown - 1);
    assertTrue(first >= 9_999 && last <= 10_501, first + " … " + last);

    interact(() -> chart.fit());
    assertTrue(plot.getDomainAxis().getUpperBound() >= n, "Fit shows the whole run again");
    ChartExport.csv(chart.series(), dir.resolve("loss.csv"));
    assertEquals(n + 1, Files.readAllLines(dir.resolve("loss.csv")).size());
  }

  @Test
  void aLiveStreamRedrawsAtABoundedRateNeverWhileHiddenAndEndsOnItsLastPoint()
      throws Exception {
    int before = chart.redraws();
    interact(() -> {
      for (int step = 1; step <= 200; step++) { // 200 frames' worth within one pulse
        chart.add(loss, step, 1.0 / step);
        chart.flushStream();
      }
    });
    assertTrue(chart.redraws() - before <= 1, "one redraw, not 200: " + (chart.redraws() - before));
    Thread.sleep(2 * LiveLineChart.STREAM_INTERVAL_NANOS / 1_000_000);
    interact(() -> {
    });
    var plot = chart.chart().getXYPlot();
    assertEquals(200, plot.getDataset().getItemCount(0), "the last points are drawn");

    interact(() -> chart.setVisible(false));
    int hidden = chart.redraws();
    interact(() -> {
      chart.add(loss, 201, 0.001);
      chart.flushStream();
    });
    Thread.sleep(2 * LiveLineChart.STREAM_INTERVAL_NANOS / 1_000_000);
    interact(() -> {
    });
    assertEquals(hidden, chart.redraws(), "a hidden chart draws nothing");
    interact(() -> chart.setVisible(true));
    Thread.sleep(3 * LiveLineChart.STREAM_INTERVAL_NANOS / 1_000_000);
    interact(() -> {
    });
    assertEquals(201, plot.getDataset().getItemCount(0), "shown again, it catches up");
  }
}
