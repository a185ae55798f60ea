package io.lightsout.bmc.sim;

import io.lightsout.bmc.ChassisCommand;
import io.lightsout.bmc.PowerState;
import java.util.EnumMap;
import java.util.Map;

/** One in-memory BMC of the {@code sim} driver: its power state and what it received. Thread-safe. */
public final class SimulatedBmc {

  private final String address;
  private PowerState power = PowerState.OFF;
  private final Map<ChassisCommand, Integer> commands = new EnumMap<>(ChassisCommand.class);
  private int reads;
  private int sessions;
  private int openSessions;
  private int peakOpenSessions;

  SimulatedBmc(String address) {
    this.address = address;
  }

  public String address() {
    return address;
  }

  public synchronized PowerState powerState() {
    return power;
  }

  /** Presets the power state, as if someone pressed the button. */
  public synchronized void setPowerState(PowerState state) {
    this.power = state;
  }

  /** State-changing commands received, all kinds. */
  public synchronized int commandsReceived() {
    return commands.values().stream().mapToInt(Integer::intValue).sum();
  }

  public synchronized int commandsReceived(ChassisCommand command) {
    return commands.getOrDefault(command, 0);
  }

  public synchronized int reads() {
    return reads;
  }

  public synchronized int sessionsOpened() {
    return sessions;
  }

  /** The most sessions this BMC ever had open at once. */
  public synchronized int peakOpenSessions() {
    return peakOpenSessions;
  }

  synchronized void sessionOpened() {
    sessions++;
    openSessions++;
    peakOpenSessions = Math.max(peakOpenSessions, openSessions);
  }

  synchronized void sessionClosed() {
    openSessions--;
  }

  synchronized PowerState read() {
    reads++;
    return power;
  }

  synchronized void apply(ChassisCommand command) {
    commands.merge(command, 1, Integer::sum);
    switch (command) {
      case POWER_ON -> power = PowerState.ON;
      case POWER_OFF, SOFT_OFF -> power = PowerState.OFF;
      case HARD_RESET -> { /* a reset leaves the power state as it is */ }
    }
  }
}
