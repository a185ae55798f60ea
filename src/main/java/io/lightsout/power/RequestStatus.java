package io.lightsout.power;

import java.util.Arrays;
import java.util.Locale;

/** States of a power request (DESIGN §3). Final states always carry a result for people. */
public enum RequestStatus {
  QUEUED(false), RUNNING(false), HELD(false),
  SUCCEEDED(true), FAILED(true), CANCELLED(true), MERGED(true), SUPERSEDED(true);

  private final boolean isFinal;

  RequestStatus(boolean isFinal) {
    this.isFinal = isFinal;
  }

  public boolean isFinal() {
    return isFinal;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RequestStatus fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown request status '" + value + "'"));
  }
}
