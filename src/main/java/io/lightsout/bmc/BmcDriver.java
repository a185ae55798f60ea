package io.lightsout.bmc;

/**
 * A way to talk to BMCs. Every power operation means "ensure": it reads the state first, sends nothing when the node
 * already is in the target state, reads back after sending, resends when the state did not change within a short
 * bound, and answers {@code reachedTarget=false} (not a fault) when the target is not reached within the verify bound.
 * Faults are {@link TransientBmcFault} (retry with backoff) or {@link FatalBmcFault} (do not retry).
 */
public interface BmcDriver {

  /** The name settings refer to, e.g. {@code ipmi}. */
  String name();

  /** Checks the settings without contacting the BMC; throws {@link FatalBmcFault} naming what is wrong. */
  void validate(BmcSettings settings);

  /** The power state the BMC reports now. */
  PowerState powerState(BmcSettings settings);

  /** Ensures the node is on. */
  PowerResult powerOn(BmcSettings settings);

  /** Ensures the node is off (hard power off). */
  PowerResult powerOff(BmcSettings settings);

  /** Ensures off, verifies, ensures on, verifies. Never the BMC's own cycle command: a retransmit would cycle twice. */
  PowerResult powerCycle(BmcSettings settings);

  /** Hard reset when on; powers on when off. Ends in on. */
  PowerResult reset(BmcSettings settings);

  /**
   * Asks the operating system to shut down (ACPI soft off) unless already off. A graceful shutdown may outlast the
   * verify bound: then {@code reachedTarget} is false and the caller polls {@link #powerState} later.
   */
  PowerResult softOff(BmcSettings settings);

  /** Runs the operation that carries out the action. */
  default PowerResult execute(PowerAction action, BmcSettings settings) {
    return switch (action) {
      case ON -> powerOn(settings);
      case OFF -> powerOff(settings);
      case CYCLE -> powerCycle(settings);
      case RESET -> reset(settings);
      case SOFT_OFF -> softOff(settings);
    };
  }
}
