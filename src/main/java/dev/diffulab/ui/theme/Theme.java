package dev.diffulab.ui.theme;

/**
 * A look of the window: the stylesheet laid over the base one ({@code /assets/diffulab.css}) and
 * the colours of what the stylesheet cannot reach — JFreeChart's charts and the heatmap's canvas.
 * Colours are {@code #rrggbb} strings so both AWT (charts) and JavaFX (canvas) can read them.
 */
public enum Theme {
  LIGHT("Light", null, "#ffffff", "#fbfcfd", "#dde1e7", "#1d2430", "#c9ced6", "#1d2430"), DARK(
      "Dark", "/assets/diffulab-dark.css", "#1f242c", "#262c35", "#3a4350", "#dfe4ea",
      "#4a5361", "#f2f4f7");

  private final String label;
  private final String stylesheet;
  /** Behind the chart and its title. */
  public final String chartBackground;
  /** Inside the plot area. */
  public final String plotBackground;
  public final String grid;
  /** Titles, axis labels, tick labels, legends. */
  public final String text;
  /** A heatmap cell still masked. */
  public final String masked;
  /** The heatmap's step cursor. */
  public final String cursor;

  Theme(String label, String stylesheet, String chartBackground, String plotBackground,
      String grid, String text, String masked, String cursor) {
    this.label = label;
    this.stylesheet = stylesheet;
    this.chartBackground = chartBackground;
    this.plotBackground = plotBackground;
    this.grid = grid;
    this.text = text;
    this.masked = masked;
    this.cursor = cursor;
  }

  /** The stylesheet laid over the base one, or null (the base alone). */
  public String stylesheet() {
    return stylesheet;
  }

  /** The theme named {@code name} (case-insensitive), or light. */
  public static Theme named(String name) {
    for (Theme t : values()) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    return LIGHT;
  }

  /** An AWT colour from a {@code #rrggbb} string. */
  public static java.awt.Color awt(String hex) {
    return new java.awt.Color(Integer.parseInt(hex.substring(1), 16));
  }

  @Override
  public String toString() {
    return label;
  }
}
