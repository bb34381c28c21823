package dev.diffulab.cli;

/** "1 h 02 min", "3 min 05 s", "12 s". */
final class Durations {
  private Durations() {
  }

  static String format(long millis) {
    long s = millis / 1000;
    if (s >= 3600) {
      return String.format("%d h %02d min", s / 3600, (s % 3600) / 60);
    }
    if (s >= 60) {
      return String.format("%d min %02d s", s / 60, s % 60);
    }
    return s + " s";
  }
}
