package io.lightsout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** What every benchmark prints alike: progress lines on stderr, figures in the report, the machine's CPU. */
final class BenchText {

  private BenchText() {}

  /** A timestamped progress line on stderr, apart from the report on stdout. */
  static void progress(String text) {
    System.err.println("[" + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_TIME) + "] " + text);
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String fmt0(double value) {
    return String.format(Locale.ROOT, "%.0f", value);
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
