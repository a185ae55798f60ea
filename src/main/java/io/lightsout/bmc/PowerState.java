package io.lightsout.bmc;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The power state of a node as its BMC reports it. */
public enum PowerState {
  ON("on"),
  OFF("off"),
  UNKNOWN("unknown");

  private final String wireName;

  PowerState(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the REST API and the database: {@code on}, {@code off}, {@code unknown}. */
  public String wireName() {
    return wireName;
  }

  /** The state with this wire name; throws {@link IllegalArgumentException} naming the allowed values otherwise. */
  public static PowerState fromWire(String name) {
    for (PowerState state : values()) {
      if (state.wireName.equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown power state '" + name + "': allowed are "
        + Arrays.stream(values()).map(PowerState::wireName).collect(Collectors.joining(", ")));
  }
}
