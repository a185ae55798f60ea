package io.lightsout.bmc.sim;

import io.lightsout.bmc.BmcSession;
import io.lightsout.bmc.ChassisCommand;
import io.lightsout.bmc.Pause;
import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.TransientBmcFault;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** A session with a {@link SimulatedBmc}: every exchange takes the configured latency and may fail at random. */
final class SimSession implements BmcSession {

  private final SimulatedBmc bmc;
  private final Duration latency;
  private final double faultRate;

  SimSession(SimulatedBmc bmc, Duration latency, double faultRate) {
    this.bmc = bmc;
    this.latency = latency;
    this.faultRate = faultRate;
    exchange("opening a session");
    bmc.sessionOpened();
  }

  @Override
  public PowerState read() {
    exchange("get power state");
    return bmc.read();
  }

  @Override
  public void send(ChassisCommand command) {
    exchange(command.description());
    bmc.apply(command);
  }

  @Override
  public void close() {
    bmc.sessionClosed();
  }

  private void exchange(String what) {
    Pause.sleep(latency, bmc.address());
    if (faultRate > 0 && ThreadLocalRandom.current().nextDouble() < faultRate) {
      throw new TransientBmcFault(bmc.address(), "did not answer " + what + " (simulated fault)");
    }
  }
}
