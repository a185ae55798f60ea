package io.lightsout.compute.nova;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compute API microversions ({@code 2.53}) as numbers: {@code 2.100} is later than {@code 2.99}. */
final class Microversion {

  private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)");

  private Microversion() {
  }

  /** Whether {@code version} is well formed and not earlier than {@code minimum}; false for a malformed one. */
  static boolean atLeast(String version, String minimum) {
    long[] have = parse(version);
    long[] need = parse(minimum);
    if (have == null || need == null) {
      return false;
    }
    return have[0] != need[0] ? have[0] > need[0] : have[1] >= need[1];
  }

  private static long[] parse(String version) {
    Matcher matcher = version == null ? null : FORM.matcher(version.strip());
    if (matcher == null || !matcher.matches() || matcher.group(1).length() > 9 || matcher.group(2).length() > 9) {
      return null;
    }
    return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))};
  }
}
