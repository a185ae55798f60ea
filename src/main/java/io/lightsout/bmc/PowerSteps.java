package io.lightsout.bmc;

import java.time.Duration;

/**
 * The "ensure" semantics of every power operation, on one open session: read first, send only when needed, read
 * back, resend on/off when the state did not change within {@code resend-after} and the BMC does not report it under
 * way, give up (without a fault) at the verify bound. Every state-changing command waits for its slot at the
 * {@link BmcGate}.
 */
final class PowerSteps {

  private final String address;
  private final BmcSession session;
  private final BmcGate.Pass pass;
  private final BmcProperties timing;
  private int commandsSent;
  private boolean offReached;
  private boolean hardResetSent;

  PowerSteps(String address, BmcSession session, BmcGate.Pass pass, BmcProperties timing) {
    this.address = address;
    this.session = session;
    this.pass = pass;
    this.timing = timing;
  }

  /** What these steps did at the BMC so far: a fault that cuts them carries it to the retry. */
  PowerProgress progress() {
    return new PowerProgress(commandsSent, offReached, hardResetSent);
  }

  PowerState read() {
    return session.read();
  }

  PowerResult ensureOn() {
    return ensure(PowerState.ON);
  }

  PowerResult ensureOff() {
    return ensure(PowerState.OFF);
  }

  PowerResult cycle() {
    PowerResult off = ensure(PowerState.OFF);
    if (!off.reachedTarget()) {
      return new PowerResult(off.observed(), false, off.commandsSent(), "cycle stopped: " + off.detail());
    }
    offReached = true;
    // off was read back just now: on is sent without reading the state once more
    PowerResult on = drive(PowerState.ON, ChassisCommand.POWER_ON, true);
    int sent = off.commandsSent() + on.commandsSent();
    return new PowerResult(on.observed(), on.reachedTarget(), sent,
        (off.commandsSent() == 0 ? "was off; " : "off, then ") + on.detail());
  }

  PowerResult reset() {
    PowerState now = session.read();
    if (now == PowerState.ON) {
      return drive(PowerState.ON, ChassisCommand.HARD_RESET, false);
    }
    return drive(PowerState.ON, ChassisCommand.POWER_ON, true);
  }

  PowerResult softOff() {
    PowerState now = session.read();
    if (now == PowerState.OFF) {
      return new PowerResult(now, true, 0, "already off");
    }
    // A second ACPI request to an operating system that is shutting down helps nothing: sent once.
    return drive(PowerState.OFF, ChassisCommand.SOFT_OFF, false);
  }

  private PowerResult ensure(PowerState target) {
    PowerState now = session.read();
    if (now == target) {
      return new PowerResult(now, true, 0, "already " + target.wireName());
    }
    return drive(target, target == PowerState.ON ? ChassisCommand.POWER_ON : ChassisCommand.POWER_OFF, true);
  }

  private PowerResult drive(PowerState target, ChassisCommand command, boolean resend) {
    long deadline = System.nanoTime() + timing.getVerifyTimeout().toNanos();
    int sent = 0;
    while (true) {
      pass.awaitCommandSlot();
      // counted before sending: a command whose answer is lost in a timeout may still have reached the BMC
      sent++;
      commandsSent++;
      hardResetSent |= command == ChassisCommand.HARD_RESET;
      session.send(command);
      long resendAt = System.nanoTime() + timing.getResendAfter().toNanos();
      while (true) {
        PowerState observed = session.read();
        if (observed == target) {
          return new PowerResult(observed, true, sent,
              target.wireName() + " after " + command.description() + (sent > 1 ? " sent " + sent + " times" : ""));
        }
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          return new PowerResult(observed, false, sent, "still " + observed.wireName() + " "
              + Durations.human(timing.getVerifyTimeout()) + " after " + command.description()
              + (sent > 1 ? " sent " + sent + " times" : "")
              + (command == ChassisCommand.SOFT_OFF ? "; a graceful shutdown may take longer: poll the power state" : ""));
        }
        if (resend && now - resendAt >= 0 && !session.inTransition()) {
          break;
        }
        long pollNanos = Math.min(timing.getVerifyPollInterval().toNanos(), deadline - now);
        Pause.sleep(Duration.ofNanos(pollNanos), address);
      }
    }
  }
}
