package io.lightsout.bmc;

import java.time.Duration;

/** Durations as operators read them in messages: "3 s", "250 ms", "2 min". */
public final class Durations {

  private Durations() {
  }

  public static String human(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0 && millis >= 60_000) {
      return millis / 60_000 + " min";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + " s";
    }
    return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
