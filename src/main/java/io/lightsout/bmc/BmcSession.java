package io.lightsout.bmc;

/** An authenticated session with one BMC: what a driver implements for {@link SessionBmcDriver}. */
public interface BmcSession extends AutoCloseable {

  /** Reads the chassis power state. */
  PowerState read();

  /**
   * Whether the last {@link #read} saw the node on its way to a state (Redfish {@code PoweringOn}/{@code PoweringOff}):
   * a command is not sent again while it is.
   */
  default boolean inTransition() {
    return false;
  }

  /** Sends one chassis command; returns when the BMC accepted it. */
  void send(ChassisCommand command);

  /** Ends the session; never throws. */
  @Override
  void close();
}
