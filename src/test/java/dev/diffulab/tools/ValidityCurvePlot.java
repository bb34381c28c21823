package dev.diffulab.tools;

import dev.diffulab.ui.chart.ChartExport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a demo model's validity-versus-training-time curve from its table
 * ({@code assets/demo-validity.tsv}: step, wall-clock training hours, valid share of the run's
 * preview samples, valid share with the shipped sampler; "-" where not measured) into a PNG for
 * the README. An optional third argument is the chart's title (default: the masked demo's), so
 * each demo's table draws with the same tool:
 *
 * <pre>java -cp target/classes:target/test-classes:target/diffulab/lib/* \
 *     dev.diffulab.tools.ValidityCurvePlot assets/demo-validity.tsv assets/demo-validity.png</pre>
 */
public final class ValidityCurvePlot {
  private ValidityCurvePlot() {
  }

  public static void main(String[] args) throws Exception {
    List<String> rows = Files.readAllLines(Path.of(args[0]));
    XYSeries preview = new XYSeries("preview samples (32, the run's sampler)");
    XYSeries shipped = new XYSeries("shipped sampler (64 samples)");
    for (String row : rows) {
      if (row.isBlank() || row.startsWith("#") || row.startsWith("step")) {
        continue;
      }
      String[] c = row.split("\t");
      double step = Double.parseDouble(c[0]);
      if (!c[2].equals("-")) {
        preview.add(step, 100 * Double.parseDouble(c[2]));
      }
      if (c.length > 3 && !c[3].equals("-")) {
        shipped.add(step, 100 * Double.parseDouble(c[3]));
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(preview);
    data.addSeries(shipped);
    JFreeChart chart = ChartFactory.createXYLineChart(
        args.length > 2
            ? args[2]
            : "demo.json on a 2-core CPU: valid TinyTales stories during training",
        "training step", "valid stories (%)",
        data,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, new Color(0x0072B2));
    r.setSeriesPaint(1, new Color(0xD55E00));
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesStroke(1, new BasicStroke(2f));
    plot.setRenderer(r);
    chart.setBackgroundPaint(Color.WHITE);
    // room on the right for the last tick label of the step axis
    chart.setPadding(new org.jfree.chart.ui.RectangleInsets(4, 4, 4, 24));
    ChartExport.png(chart, Path.of(args[1]), 900, 480);
  }
}
