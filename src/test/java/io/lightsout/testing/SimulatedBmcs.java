package io.lightsout.testing;

import io.lightsout.bmc.PowerState;

/** What every fleet of simulated BMCs offers, whatever its protocol: BMC i's port, its power state, its logs. */
public interface SimulatedBmcs extends AutoCloseable {

  String host();

  int port(int i);

  int size();

  PowerState powerState(int i);

  void setPower(int i, boolean on);

  /** Forgets what all BMCs logged so far. */
  void clearLogs();

  @Override
  void close();
}
