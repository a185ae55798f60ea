package io.lightsout.bmc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ensure logic against a BMC that takes its time or ignores commands. */
class PowerStepsTest {

  private final BmcProperties timing = new BmcProperties();
  private final BmcGate gate;

  PowerStepsTest() {
    timing.setMinCommandInterval(Duration.ZERO);
    timing.setVerifyTimeout(Duration.ofMillis(600));
    timing.setVerifyPollInterval(Duration.ofMillis(20));
    timing.setResendAfter(Duration.ofMillis(250));
    gate = new BmcGate(timing);
  }

  @Test
  void resendsWhenTheStateDidNotChangeAndStopsOnceItDid() {
    FakeSession bmc = new FakeSession(PowerState.OFF, 2);

    PowerResult result = run(bmc, PowerSteps::ensureOn);

    assertThat(bmc.sent).containsExactly(ChassisCommand.POWER_ON, ChassisCommand.POWER_ON);
    assertThat(result).isEqualTo(new PowerResult(PowerState.ON, true, 2, "on after power on sent 2 times"));
  }

  @Test
  void answersNotReachedAtTheVerifyBoundWithoutAFault() {
    FakeSession bmc = new FakeSession(PowerState.ON, Integer.MAX_VALUE);

    PowerResult result = run(bmc, PowerSteps::ensureOff);

    assertThat(result.reachedTarget()).isFalse();
    assertThat(result.observed()).isEqualTo(PowerState.ON);
    assertThat(result.commandsSent()).isEqualTo(bmc.sent.size()).isBetween(2, 3);
    assertThat(result.detail()).startsWith("still on 600 ms after power off sent");
  }

  @Test
  void neverResendsAResetNorASoftOff() {
    FakeSession resetting = new FakeSession(PowerState.ON, Integer.MAX_VALUE);
    FakeSession shuttingDown = new FakeSession(PowerState.ON, Integer.MAX_VALUE);

    PowerResult reset = run(resetting, PowerSteps::reset);
    PowerResult softOff = run(shuttingDown, PowerSteps::softOff);

    assertThat(resetting.sent).containsExactly(ChassisCommand.HARD_RESET);
    assertThat(reset).isEqualTo(new PowerResult(PowerState.ON, true, 1, "on after hard reset"));
    assertThat(shuttingDown.sent).containsExactly(ChassisCommand.SOFT_OFF);
    assertThat(softOff.reachedTarget()).isFalse();
  }

  @Test
  void aCycleWhoseOffIsNotReachedNeverPowersOn() {
    FakeSession stuck = new FakeSession(PowerState.ON, Integer.MAX_VALUE);

    PowerResult result = run(stuck, PowerSteps::cycle);

    assertThat(stuck.sent).isNotEmpty().allMatch(command -> command == ChassisCommand.POWER_OFF);
    assertThat(result.reachedTarget()).isFalse();
    assertThat(result.detail()).startsWith("cycle stopped: still on");
  }

  private PowerResult run(FakeSession session, java.util.function.Function<PowerSteps, PowerResult> step) {
    try (BmcGate.Pass pass = gate.enter("fake:623")) {
      return step.apply(new PowerSteps("fake:623", session, pass, timing));
    }
  }

  /** A BMC that applies a power on/off only from the n-th time it receives it; resets and soft offs never change it. */
  private static final class FakeSession implements BmcSession {
    private PowerState state;
    private final int appliesFrom;
    private final List<ChassisCommand> sent = new ArrayList<>();

    FakeSession(PowerState state, int appliesFrom) {
      this.state = state;
      this.appliesFrom = appliesFrom;
    }

    @Override
    public PowerState read() {
      return state;
    }

    @Override
    public void send(ChassisCommand command) {
      sent.add(command);
      if (sent.stream().filter(command::equals).count() >= appliesFrom) {
        state = command == ChassisCommand.POWER_ON ? PowerState.ON : PowerState.OFF;
      }
    }

    @Override
    public void close() {
    }
  }
}
