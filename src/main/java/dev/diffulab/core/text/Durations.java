package dev.diffulab.core.text;

/**
 * The one way DiffuLab writes a duration, in the window, the command line and model labels:
 * "4 d 22 h", "3 h 05 min", "3 min 05 s", "12 s".
 */
public final class Durations {
  private Durations() {
  }

  public static String format(long millis) {
    long s = Math.max(0, millis) / 1000;
    if (s >= 86_400) {
      return String.format("%d d %d h", s / 86_400, s / 3600 % 24);
    }
    if (s >= 3600) {
      return String.format("%d h %02d min", s / 3600, s / 60 % 60);
    }
    if (s >= 60) {
      return String.format("%d min %02d s", s / 60, s % 60);
    }
    return s + " s";
  }

  /** A running clock, as a timer shows it: "4:07", or "1:02:03" from an hour on. */
  public static String clock(long millis) {
    long s = millis / 1000;
    return s >= 3600
        ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}
