package dev.diffulab.ui.denoise;

import dev.diffulab.core.metrics.SweepReport;
import dev.diffulab.ui.common.AppSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;

/**
 * The quality–diversity frontier of the open model: a sweep over sampler settings on one seed,
 * each point measured as {@code evaluate} measures it, the Pareto front marked. Runs on the
 * engine (after a running training), reports each measured point, can be cancelled.
 */
public final class FrontierViewModel {
  private final AppSession session;
  private final EngineMeasurement measurement;
  private final ReadOnlyObjectWrapper<SweepReport> report = new ReadOnlyObjectWrapper<>();
  private long seed;
  private int samples;

  public FrontierViewModel(AppSession session) {
    this.session = session;
    this.measurement = new EngineMeasurement(session, "Sweeping the sampler");
  }

  /** Sweeps {@code grid} (blank: the family's own) with {@code samples} samples a point. */
  public void run(String grid, int samples, long seed) {
    if (measurement.busy()) {
      return;
    }
    this.seed = seed;
    this.samples = samples;
    measurement.start(progress -> session.service().sweepOpenModel(grid, samples, seed,
        progress),
        (done, all) -> measurement.status("measured " + done + " of " + all + " settings"),
        rows -> {
          SweepReport r = SweepReport.of(rows);
          long front = r.points().stream().filter(p -> p.onFront()).count();
          // the status first: whoever sees the report (the chart and table) sees its status too
          measurement.status(rows.size() + " settings, " + samples + " samples each, seed "
              + seed + "; " + front + " on the front");
          report.set(r);
        });
  }

  public void cancel() {
    measurement.cancel();
  }

  /** Writes the report as {@code csv} and the chart's picture as the PNG beside it. */
  public void exportCsv(Path csv, Path png) throws IOException {
    SweepReport r = report.get();
    if (r == null) {
      return;
    }
    Files.writeString(csv, r.csv());
    dev.diffulab.ui.chart.FrontierChart.png(chart(r), png, 1100, 750);
    dev.diffulab.ui.common.Notices.done("Exported the frontier", csv.getFileName() + " and "
        + png.getFileName(), csv.toAbsolutePath().getParent());
  }

  /** The chart of {@code r}, titled with this sweep's sample count and seed. */
  org.jfree.chart.JFreeChart chart(SweepReport r) {
    return dev.diffulab.ui.chart.FrontierChart.build(r.points(), "Quality against diversity, "
        + samples + " samples a setting, seed " + seed, r.qualityName(), r.diversityName());
  }

  public ReadOnlyBooleanProperty busyProperty() {
    return measurement.busyProperty();
  }

  public ReadOnlyStringProperty statusProperty() {
    return measurement.statusProperty();
  }

  /** 0…1 while points are measured, −1 while waiting for the first. */
  public ReadOnlyDoubleProperty progressProperty() {
    return measurement.progressProperty();
  }

  public ReadOnlyObjectProperty<SweepReport> reportProperty() {
    return report.getReadOnlyProperty();
  }
}
