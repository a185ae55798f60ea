package io.lightsout.bmc;

/** The state-changing commands a {@link BmcSession} can send; the ensure logic is built from these. */
public enum ChassisCommand {
  POWER_ON("power on"),
  POWER_OFF("power off"),
  HARD_RESET("hard reset"),
  SOFT_OFF("soft off");

  private final String description;

  ChassisCommand(String description) {
    this.description = description;
  }

  /** For messages: "power on", "soft off", ... */
  public String description() {
    return description;
  }
}
