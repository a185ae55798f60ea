package io.lightsout.bmc;

/**
 * What a power operation had done at the BMC when a transient fault cut it, so that its retry builds on it
 * instead of acting twice (DESIGN §1, principle 3).
 *
 * @param commandsSent     state-changing commands sent, or started to be sent (an answer lost in a timeout may
 *                         still have reached the BMC)
 * @param offReached       a cycle's off phase was confirmed by a read-back: the retry only ensures on
 * @param hardResetSent    a hard reset was sent and not confirmed: repeating it could reset the node twice
 */
public record PowerProgress(int commandsSent, boolean offReached, boolean hardResetSent) {

  public static final PowerProgress NONE = new PowerProgress(0, false, false);

  /** Whether the BMC may have been acted on at all. */
  public boolean any() {
    return commandsSent > 0 || offReached || hardResetSent;
  }

  /** This progress followed by a later attempt's. */
  public PowerProgress then(PowerProgress later) {
    return new PowerProgress(commandsSent + later.commandsSent, offReached || later.offReached,
        hardResetSent || later.hardResetSent);
  }
}
