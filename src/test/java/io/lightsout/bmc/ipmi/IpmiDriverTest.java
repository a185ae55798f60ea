package io.lightsout.bmc.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.BmcGate;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.PowerAction;
import io.lightsout.bmc.PowerResult;
import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.TransientBmcFault;
import io.lightsout.security.CredentialCipher;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.BmcSimulatorFleet.BmcEvent;
import io.lightsout.testing.LogCapture;
import io.lightsout.testing.LossyUdpProxy;
import io.lightsout.testing.TestSecrets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The ipmi driver against real IPMI BMCs (OpenIPMI ipmi_sim): what each BMC received, and how faults surface. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpmiDriverTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final int BMC = 0;

  private final CredentialCipher cipher = TestSecrets.cipher();
  private final List<IpmiClient> clients = new ArrayList<>();
  private BmcSimulatorFleet fleet;
  private IpmiDriver driver;

  @BeforeAll
  void startFleet() {
    fleet = BmcSimulatorFleet.start(2);
    driver = driver(properties -> { });
  }

  @AfterAll
  void stopFleet() {
    clients.forEach(IpmiClient::close);
    if (fleet != null) {
      fleet.close();
    }
  }

  @BeforeEach
  void forgetWhatBmcsReceived() {
    fleet.clearLogs();
  }

  @ParameterizedTest(name = "{0} when {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      on       | off | set power 1
      on       | on  |
      off      | on  | set power 0
      off      | off |
      cycle    | on  | set power 0, set power 1
      cycle    | off | set power 1
      reset    | on  | set reset 1
      reset    | off | set power 1
      soft-off | on  | set shutdown 1
      soft-off | off |
      """)
  void eachActionSendsExactlyWhatItNeeds(String action, String initial, String expectedCommands) {
    fleet.setPower(BMC, initial.equals("on"));
    List<String> expected = expectedCommands == null ? List.of() : Arrays.asList(expectedCommands.split(", "));
    PowerAction powerAction = PowerAction.fromWire(action);

    PowerResult result = driver.execute(powerAction, settings(BMC, fleet.password()));

    assertThat(fleet.commands(BMC)).containsExactlyElementsOf(expected);
    assertThat(fleet.powerState(BMC)).isEqualTo(powerAction.targetState());
    assertThat(result.reachedTarget()).isTrue();
    assertThat(result.observed()).isEqualTo(powerAction.targetState());
    assertThat(result.commandsSent()).isEqualTo(expected.size());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void powerStateAgreesWithIpmitool(boolean on) throws Exception {
    fleet.setPower(BMC, on);

    PowerState state = driver.powerState(settings(BMC, fleet.password()));

    assertThat(state).isEqualTo(on ? PowerState.ON : PowerState.OFF);
    assertThat(ipmitool(BMC, "power", "status")).isEqualTo(on ? "Chassis Power is on" : "Chassis Power is off");
    assertThat(fleet.commands(BMC)).isEmpty();
  }

  @Test
  void aSlowSoftOffIsReportedAsNotYetReachedAndCanBePolledLater() throws Exception {
    IpmiDriver impatient = driver(properties -> properties.setVerifyTimeout(Duration.ofMillis(500)));
    fleet.setPower(BMC, true);
    fleet.softOffDelay(BMC, Duration.ofMillis(1500));
    try {
      PowerResult result = impatient.softOff(settings(BMC, fleet.password()));

      assertThat(result.reachedTarget()).isFalse();
      assertThat(result.observed()).isEqualTo(PowerState.ON);
      assertThat(result.commandsSent()).isEqualTo(1);
      assertThat(result.detail()).contains("poll the power state");
      assertThat(fleet.commands(BMC)).containsExactly("set shutdown 1");
      Thread.sleep(1500);
      assertThat(impatient.powerState(settings(BMC, fleet.password()))).isEqualTo(PowerState.OFF);
      assertThat(fleet.commands(BMC)).containsExactly("set shutdown 1");
    } finally {
      fleet.softOffDelay(BMC, Duration.ZERO);
    }
  }

  @Test
  void aWrongPasswordIsFatalAtOnceAndTheBmcGetsNoCommand() {
    fleet.setPower(BMC, false);
    long started = System.nanoTime();

    FatalBmcFault fault = catchThrowableOfType(
        () -> driver.powerOn(settings(BMC, "not-the-password")), FatalBmcFault.class);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(fault).isNotNull();
    assertThat(fault.retryable()).isFalse();
    assertThat(fault.getMessage()).isEqualTo("BMC " + address(BMC) + " rejected the credentials of user 'admin'");
    assertThat(stackTrace(fault)).doesNotContain("not-the-password");
    assertThat(fleet.chassisCalls(BMC)).isEmpty();
    assertThat(fleet.powerState(BMC)).isEqualTo(PowerState.OFF);
  }

  @Test
  void anUnknownUserIsFatal() {
    BmcSettings stranger = new BmcSettings("ipmi", fleet.host(), fleet.port(BMC), "stranger",
        cipher.seal(fleet.password()), Map.of());

    assertFault(() -> driver.powerState(stranger), FatalBmcFault.class, "rejected the credentials of user 'stranger'");
  }

  @Test
  void aFrozenBmcIsATransientFaultWithinTheTimeoutAndWorksOnceThawed() {
    fleet.setPower(BMC, false);
    fleet.freeze(BMC);
    long started = System.nanoTime();
    TransientBmcFault fault;
    try {
      fault = catchThrowableOfType(() -> driver.powerOn(settings(BMC, fleet.password())), TransientBmcFault.class);
    } finally {
      fleet.thaw(BMC);
    }

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(3));
    assertThat(fault).isNotNull();
    assertThat(fault.getMessage()).isEqualTo("BMC " + address(BMC) + " did not answer within 1 s");
    assertThat(driver.powerOn(settings(BMC, fleet.password())).reachedTarget()).isTrue();
    assertThat(fleet.commands(BMC)).containsExactly("set power 1");
  }

  @Test
  void aKilledBmcIsATransientFaultAndWorksOnceRestarted() {
    fleet.setPower(BMC, true);
    fleet.kill(BMC);
    try {
      assertFault(() -> driver.powerState(settings(BMC, fleet.password())), TransientBmcFault.class,
          "did not answer within 1 s");
    } finally {
      fleet.normal(BMC);
    }
    assertThat(driver.powerState(settings(BMC, fleet.password()))).isEqualTo(PowerState.ON);
  }

  @Test
  void aBmcWhoseChassisControlFailsNamesTheCompletionCode() {
    fleet.setPower(BMC, false);
    fleet.failing(BMC);
    try {
      assertFault(() -> driver.powerOn(settings(BMC, fleet.password())), TransientBmcFault.class,
          "answered chassis control (power on) with completion code 0xFF (unspecified error)");
      assertThat(fleet.commands(BMC)).containsExactly("set power 1");
      assertThat(fleet.powerState(BMC)).isEqualTo(PowerState.OFF);
    } finally {
      fleet.normal(BMC);
    }
    assertThat(driver.powerOn(settings(BMC, fleet.password())).commandsSent()).isEqualTo(1);
    assertThat(fleet.powerState(BMC)).isEqualTo(PowerState.ON);
  }

  @Test
  void aLostAnswerToRaisingThePrivilegeOpensANewSessionAndTheMachineGetsOneCommand() {
    fleet.setPower(BMC, false);
    IpmiDriver lossy = driver(properties -> { });
    IpmiClient client = clients.get(clients.size() - 1);
    try (LossyUdpProxy proxy = LossyUdpProxy.start(fleet.host(), fleet.port(BMC), 1)) {
      BmcSettings throughProxy = new BmcSettings("ipmi", fleet.host(), proxy.port(), "admin",
          cipher.seal(fleet.password()), Map.of());

      PowerResult result = lossy.powerOn(throughProxy);

      assertThat(proxy.lost()).isEqualTo(1);
      assertThat(client.sessionRetries()).isEqualTo(1);
      assertThat(result.reachedTarget()).isTrue();
      assertThat(result.commandsSent()).isEqualTo(1);
    }
    assertThat(fleet.commands(BMC)).containsExactly("set power 1");
    assertThat(fleet.powerState(BMC)).isEqualTo(PowerState.ON);
  }

  @Test
  void aBmcThatHangsInACommandTimesOut() {
    fleet.slow(BMC, 2);
    try {
      assertFault(() -> driver.powerState(settings(BMC, fleet.password())), TransientBmcFault.class,
          "did not answer within 1 s");
    } finally {
      fleet.normal(BMC);
    }
  }

  @Test
  void twoStateChangingCommandsToOneBmcKeepTheMinimumInterval() {
    IpmiDriver paced = driver(properties -> properties.setMinCommandInterval(Duration.ofMillis(400)));
    fleet.setPower(BMC, true);

    paced.powerCycle(settings(BMC, fleet.password()));
    paced.powerOff(settings(BMC, fleet.password()));

    List<BmcEvent> events = fleet.events(BMC);
    assertThat(events).extracting(BmcEvent::command).containsExactly("set power 0", "set power 1", "set power 0");
    // Timestamps are taken by the BMC, so allow for a little network and scheduling jitter.
    assertThat(events.get(1).epochMillis() - events.get(0).epochMillis()).isGreaterThanOrEqualTo(350);
    assertThat(events.get(2).epochMillis() - events.get(1).epochMillis()).isGreaterThanOrEqualTo(350);
  }

  @Test
  void badSettingsAreFatalBeforeAnyPacketIsSent() {
    BmcSettings unknownOption = new BmcSettings("ipmi", fleet.host(), fleet.port(BMC), "admin",
        cipher.seal(fleet.password()), Map.of("cipher", "3"));
    BmcSettings badSuite = new BmcSettings("ipmi", fleet.host(), fleet.port(BMC), "admin",
        cipher.seal(fleet.password()), Map.of("cipherSuite", "0"));

    assertFault(() -> driver.powerOn(unknownOption), FatalBmcFault.class,
        "has options the ipmi driver does not know: [cipher] (known: [cipherSuite])");
    assertThatThrownBy(() -> driver.powerOn(badSuite)).isInstanceOf(FatalBmcFault.class)
        .hasMessageContaining("unsupported cipherSuite '0'");
    assertThat(fleet.chassisCalls(BMC)).isEmpty();
  }

  @Test
  void aPasswordSealedWithAnotherKeyIsFatalWithoutSecrets() {
    BmcSettings foreign = new BmcSettings("ipmi", fleet.host(), fleet.port(BMC), "admin",
        TestSecrets.cipher().seal(fleet.password()), Map.of());

    FatalBmcFault fault = catchThrowableOfType(() -> driver.powerState(foreign), FatalBmcFault.class);

    assertThat(fault.getMessage()).startsWith("BMC " + address(BMC) + " password cannot be used:")
        .contains("sealed with another key");
    assertThat(stackTrace(fault)).doesNotContain(fleet.password());
  }

  @Test
  void thePasswordAppearsInNoLogLineAndNoFault() {
    List<BmcFault> faults = new ArrayList<>();
    List<String> logLines;
    try (LogCapture logs = LogCapture.start()) {
      driver.powerCycle(settings(BMC, fleet.password()));
      faults.add(catchThrowableOfType(() -> driver.powerOn(settings(BMC, "wrong-" + fleet.password())), BmcFault.class));
      fleet.failing(BMC);
      faults.add(catchThrowableOfType(() -> driver.powerOff(settings(BMC, fleet.password())), BmcFault.class));
      fleet.freeze(BMC);
      faults.add(catchThrowableOfType(() -> driver.powerState(settings(BMC, fleet.password())), BmcFault.class));
      logLines = logs.lines();
    } finally {
      fleet.normal(BMC);
    }

    assertThat(logLines).isNotEmpty();
    assertThat(logLines).noneMatch(line -> line.contains(fleet.password()));
    assertThat(faults).hasSize(3).doesNotContainNull()
        .allSatisfy(fault -> assertThat(stackTrace(fault)).doesNotContain(fleet.password()));
    assertThat(settings(BMC, fleet.password()).toString()).doesNotContain(fleet.password());
  }

  private void assertFault(ThrowingCallable call, Class<? extends BmcFault> type, String problem) {
    assertThatThrownBy(call).isInstanceOf(type).hasMessage("BMC " + address(BMC) + " " + problem);
  }

  private IpmiDriver driver(Consumer<BmcProperties> tuning) {
    BmcProperties properties = new BmcProperties();
    properties.setMinCommandInterval(Duration.ZERO);
    properties.setVerifyTimeout(Duration.ofSeconds(2));
    properties.setVerifyPollInterval(Duration.ofMillis(50));
    properties.setResendAfter(Duration.ofMillis(500));
    properties.getIpmi().setTimeout(TIMEOUT);
    tuning.accept(properties);
    IpmiClient client = new IpmiClient(properties);
    clients.add(client);
    return new IpmiDriver(new BmcGate(properties), properties, cipher, client);
  }

  private BmcSettings settings(int i, String password) {
    return new BmcSettings("ipmi", fleet.host(), fleet.port(i), "admin", cipher.seal(password), Map.of());
  }

  private String address(int i) {
    return fleet.host() + ":" + fleet.port(i);
  }

  private String ipmitool(int i, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("ipmitool", "-I", "lanplus", "-C", "3", "-H", fleet.host(),
        "-p", Integer.toString(fleet.port(i)), "-U", "admin", "-E"));
    args.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
    builder.environment().put("IPMI_PASSWORD", fleet.password());
    Process process = builder.start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static String stackTrace(Throwable throwable) {
    StringWriter text = new StringWriter();
    throwable.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
