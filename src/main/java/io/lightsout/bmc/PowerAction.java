package io.lightsout.bmc;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a power request asks of a node, and the state it ends in when done. */
public enum PowerAction {
  ON("on", PowerState.ON),
  OFF("off", PowerState.OFF),
  CYCLE("cycle", PowerState.ON),
  RESET("reset", PowerState.ON),
  SOFT_OFF("soft-off", PowerState.OFF);

  private final String wireName;
  private final PowerState targetState;

  PowerAction(String wireName, PowerState targetState) {
    this.wireName = wireName;
    this.targetState = targetState;
  }

  /** The name used in the REST API, process variables and the database, e.g. {@code soft-off}. */
  public String wireName() {
    return wireName;
  }

  /** The state the node is in when the action is done: cycle and reset end in {@code on}. */
  public PowerState targetState() {
    return targetState;
  }

  /** The action with this wire name; throws {@link IllegalArgumentException} naming the allowed values otherwise. */
  public static PowerAction fromWire(String name) {
    for (PowerAction action : values()) {
      if (action.wireName.equals(name)) {
        return action;
      }
    }
    String allowed = Arrays.stream(values()).map(PowerAction::wireName).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(name == null
        ? "power action is missing: allowed are " + allowed
        : "unknown power action '" + name + "': allowed are " + allowed);
  }
}
