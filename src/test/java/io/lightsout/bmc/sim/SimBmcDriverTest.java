package io.lightsout.bmc.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightsout.bmc.BmcGate;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.ChassisCommand;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.PowerAction;
import io.lightsout.bmc.PowerResult;
import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.SealedSecret;
import io.lightsout.bmc.TransientBmcFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimBmcDriverTest {

  private static final SealedSecret PASSWORD = SealedSecret.of("v1:AAAA");

  private final BmcProperties properties = new BmcProperties();
  private final SimBmcDriver driver;

  SimBmcDriverTest() {
    properties.setMinCommandInterval(Duration.ZERO);
    driver = new SimBmcDriver(new BmcGate(properties), properties);
  }

  @ParameterizedTest(name = "{0} when {1}")
  @CsvSource({
    "on, OFF, POWER_ON, 1", "on, ON, POWER_ON, 0",
    "off, ON, POWER_OFF, 1", "off, OFF, POWER_OFF, 0",
    "cycle, ON, POWER_OFF, 1", "cycle, OFF, POWER_OFF, 0",
    "reset, ON, HARD_RESET, 1", "reset, OFF, POWER_ON, 1",
    "soft-off, ON, SOFT_OFF, 1", "soft-off, OFF, SOFT_OFF, 0"})
  void eachActionEndsInItsTargetState(String action, PowerState initial, ChassisCommand expected, int count) {
    SimulatedBmc bmc = driver.bmc("sim-1:623");
    bmc.setPowerState(initial);
    PowerAction powerAction = PowerAction.fromWire(action);

    PowerResult result = driver.execute(powerAction, settings("sim-1", Map.of()));

    assertThat(bmc.powerState()).isEqualTo(powerAction.targetState());
    assertThat(result.reachedTarget()).isTrue();
    assertThat(bmc.commandsReceived(expected)).isEqualTo(count);
    assertThat(bmc.commandsReceived()).isEqualTo(result.commandsSent());
  }

  @Test
  void aCycleFromOnIsOffThenOn() {
    SimulatedBmc bmc = driver.bmc("sim-2:623");
    bmc.setPowerState(PowerState.ON);

    PowerResult result = driver.powerCycle(settings("sim-2", Map.of()));

    assertThat(result.commandsSent()).isEqualTo(2);
    assertThat(bmc.commandsReceived(ChassisCommand.POWER_OFF)).isEqualTo(1);
    assertThat(bmc.commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
    assertThat(bmc.powerState()).isEqualTo(PowerState.ON);
    assertThat(bmc.reads()).as("read first, off read back, on read back: nothing read twice").isEqualTo(3);
  }

  @Test
  void aFaultRateOfOneFailsEveryCallTransiently() {
    assertThatThrownBy(() -> driver.powerOn(settings("sim-3", Map.of("faultRate", "1.0"))))
        .isInstanceOf(TransientBmcFault.class)
        .hasMessage("BMC sim-3:623 did not answer opening a session (simulated fault)");
    assertThat(driver.bmc("sim-3:623").commandsReceived()).isZero();
  }

  @Test
  void latencyIsAddedToEveryExchange() {
    long before = System.nanoTime();
    driver.powerState(settings("sim-4", Map.of("latencyMs", "40")));

    assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
  }

  @Test
  void badOptionsAreFatal() {
    assertThatThrownBy(() -> driver.validate(settings("sim-5", Map.of("faultRate", "1.5"))))
        .isInstanceOf(FatalBmcFault.class).hasMessage("BMC sim-5 has an invalid faultRate '1.5' (0.0 to 1.0)");
    assertThatThrownBy(() -> driver.validate(settings("sim-5", Map.of("latencyMs", "-1"))))
        .isInstanceOf(FatalBmcFault.class).hasMessageContaining("invalid latencyMs '-1'");
    assertThatThrownBy(() -> driver.validate(settings("sim-5", Map.of("cipherSuite", "3"))))
        .isInstanceOf(FatalBmcFault.class)
        .hasMessage("BMC sim-5 has options the sim driver does not know: [cipherSuite] (known: [faultRate, latencyMs])");
    assertThatThrownBy(() -> driver.validate(new BmcSettings("sim", "sim-5", 70000, "admin", PASSWORD, null)))
        .isInstanceOf(FatalBmcFault.class).hasMessage("BMC sim-5:70000 has an invalid port: 70000 (allowed 1 to 65535)");
    assertThatThrownBy(() -> driver.validate(new BmcSettings("sim", " ", null, "admin", PASSWORD, null)))
        .isInstanceOf(FatalBmcFault.class).hasMessageContaining("has no valid host");
    assertThatThrownBy(() -> driver.validate(new BmcSettings("sim", "sim-5", null, "", PASSWORD, null)))
        .isInstanceOf(FatalBmcFault.class).hasMessage("BMC sim-5 has no username");
    assertThatThrownBy(() -> driver.validate(new BmcSettings("sim", "sim-5", null, "admin", null, null)))
        .isInstanceOf(FatalBmcFault.class).hasMessage("BMC sim-5 has no password");
  }

  @Test
  void neverActsForSettingsOfAnotherDriver() {
    SimulatedBmc bmc = driver.bmc("10.0.0.5:623");

    assertThatThrownBy(() -> driver.powerOn(new BmcSettings("ipmi", "10.0.0.5", 623, "admin", PASSWORD, null)))
        .isInstanceOf(FatalBmcFault.class)
        .hasMessage("BMC 10.0.0.5:623 is configured for driver 'ipmi', not 'sim'");
    assertThat(bmc.sessionsOpened()).isZero();
  }

  @Test
  void manyThreadsOnOneBmcGetOneSessionAtATimeAndOneCommand() throws Exception {
    SimulatedBmc bmc = driver.bmc("sim-6:623");
    ExecutorService threads = Executors.newFixedThreadPool(16);
    List<Future<PowerResult>> results = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      results.add(threads.submit(() -> driver.powerOn(settings("sim-6", Map.of("latencyMs", "2")))));
    }
    int sent = 0;
    for (Future<PowerResult> result : results) {
      sent += result.get(30, TimeUnit.SECONDS).commandsSent();
    }
    threads.shutdown();

    assertThat(sent).isEqualTo(1);
    assertThat(bmc.commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
    assertThat(bmc.sessionsOpened()).isEqualTo(32);
    assertThat(bmc.peakOpenSessions()).isEqualTo(1);
  }

  private static BmcSettings settings(String host, Map<String, String> options) {
    return new BmcSettings("sim", host, null, "admin", PASSWORD, options);
  }
}
