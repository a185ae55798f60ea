package io.lightsout.bmc;

import java.time.Duration;

/** Sleeping while talking to a BMC: an interrupt ends the wait with a {@link TransientBmcFault}. */
public final class Pause {

  private Pause() {
  }

  public static void sleep(Duration duration, String address) {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientBmcFault(address, "was not reached: the operation was interrupted", e);
    }
  }
}
