package io.lightsout.power;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What to do when the node already has open requests: wait behind them, refuse, or replace the queued ones. */
public enum IfBusy {
  QUEUE, REJECT, REPLACE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static IfBusy fromWire(String value) {
    if (value == null || value.isBlank()) {
      return QUEUE;
    }
    return Arrays.stream(values()).filter(v -> v.wireName().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("ifBusy must be one of "
            + Arrays.stream(values()).map(IfBusy::wireName).collect(Collectors.joining(", ")) + ", not '" + value + "'"));
  }
}
