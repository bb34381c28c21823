package dev.diffulab.ui.chart;

import dev.diffulab.ui.theme.Appearance;
import dev.diffulab.ui.theme.Theme;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;

/**
 * Gives a JFreeChart the current theme's colours and the current font size: background, plot,
 * grid, title, axes and legend. JFreeChart draws with AWT and does not read JavaFX stylesheets,
 * so a theme switch re-applies this to every chart.
 */
final class ChartLook {
  private ChartLook() {
  }

  static void apply(JFreeChart chart) {
    Theme t = Appearance.theme();
    int size = Appearance.fontSize();
    Color text = Theme.awt(t.text);
    chart.setBackgroundPaint(Theme.awt(t.chartBackground));
    if (chart.getTitle() != null) {
      chart.getTitle().setFont(new Font("SansSerif", Font.BOLD, size));
      chart.getTitle().setPaint(text);
    }
    for (int i = 0; i < chart.getSubtitleCount(); i++) {
      if (chart.getSubtitle(i) instanceof LegendTitle legend) {
        legend.setBackgroundPaint(Theme.awt(t.chartBackground));
        legend.setItemPaint(text);
        legend.setItemFont(new Font("SansSerif", Font.PLAIN, size - 2));
      }
    }
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Theme.awt(t.plotBackground));
    plot.setDomainGridlinePaint(Theme.awt(t.grid));
    plot.setRangeGridlinePaint(Theme.awt(t.grid));
    plot.setOutlinePaint(Theme.awt(t.grid));
    for (Axis axis : new Axis[]{plot.getDomainAxis(), plot.getRangeAxis()}) {
      if (axis != null) {
        axis.setLabelPaint(text);
        axis.setTickLabelPaint(text);
        axis.setAxisLinePaint(Theme.awt(t.grid));
        axis.setTickMarkPaint(Theme.awt(t.grid));
        axis.setLabelFont(new Font("SansSerif", Font.PLAIN, size - 1));
        axis.setTickLabelFont(new Font("SansSerif", Font.PLAIN, size - 2));
      }
    }
  }
}
