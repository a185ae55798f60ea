package io.lightsout.evacuation;

import java.util.Arrays;

/** What an operator decided for an instance that could not be rebuilt. */
public enum InstanceDecision {
  RETRY("retry"), OTHER_HOST("other-host"), GIVE_UP("give-up");

  private final String wireName;

  InstanceDecision(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static InstanceDecision fromWire(String value) {
    return Arrays.stream(values()).filter(d -> d.wireName.equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown decision '" + value + "' (retry, other-host, give-up)"));
  }
}
