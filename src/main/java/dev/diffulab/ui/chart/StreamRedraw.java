package dev.diffulab.ui.chart;

import dev.diffulab.ui.common.FxLater;
import javafx.scene.Node;

/**
 * Paces the redraws of a chart fed by a live stream: at most one every
 * {@link LiveLineChart#STREAM_INTERVAL_NANOS}, none while the chart is not showing (a hidden
 * workspace: it looks again one interval later, a check of the parent chain, no drawing), and
 * the last request never lost. It waits on a sleeping timer, not an animation, so the toolkit does
 * not pulse while it waits. UI thread only.
 */
final class StreamRedraw {
  private final Node chart;
  private final java.util.function.BooleanSupplier pending;
  private final Runnable redraw;
  private long last;
  private boolean scheduled;

  /**
   * @param pending whether there is anything to draw (asked again when a wait ends)
   * @param redraw draws it
   */
  StreamRedraw(Node chart, java.util.function.BooleanSupplier pending, Runnable redraw) {
    this.chart = chart;
    this.pending = pending;
    this.redraw = redraw;
  }

  void request() {
    if (!pending.getAsBoolean()) {
      return;
    }
    long now = System.nanoTime();
    long wait = LiveLineChart.showing(chart)
        ? last + LiveLineChart.STREAM_INTERVAL_NANOS - now
        : LiveLineChart.STREAM_INTERVAL_NANOS;
    if (wait <= 0) {
      last = now;
      redraw.run();
    } else if (!scheduled) {
      scheduled = true;
      FxLater.run(wait, () -> {
        scheduled = false;
        request();
      });
    }
  }
}
