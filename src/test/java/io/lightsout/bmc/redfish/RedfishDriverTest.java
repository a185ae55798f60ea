package io.lightsout.bmc.redfish;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.lightsout.testing.LogCapture;
import io.lightsout.testing.RedfishSimulatorFleet;
import io.lightsout.testing.TestSecrets;
import io.lightsout.bmc.Pause;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The redfish driver against the project's Redfish simulator over HTTPS: what each BMC logged (resets with their
 * answers, sessions created and deleted), and how each quirk and fault of the field ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedfishDriverTest {

  private static final int BMC = 0;
  private static final String SESSION_OPENED = "session-create";

  private final CredentialCipher cipher = TestSecrets.cipher();
  private RedfishSimulatorFleet fleet;
  private RedfishDriver driver;
  private final List<RedfishDriver> drivers = new ArrayList<>();

  @BeforeAll
  void startFleet() {
    fleet = RedfishSimulatorFleet.start(1);
  }

  @AfterAll
  void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** A fresh driver (as after a start of Lights-Out: it knows nothing of the BMC yet) and a BMC without faults. */
  @BeforeEach
  void freshBmc() {
    driver = driver(properties -> { });
    fleet.normal(BMC);
    fleet.setPower(BMC, false);
    fleet.clearLogs();
  }

  /** As at a shutdown of Lights-Out: every session the test's drivers keep is deleted. */
  @AfterEach
  void stopDrivers() {
    drivers.forEach(RedfishDriver::destroy);
    drivers.clear();
  }

  @ParameterizedTest(name = "{0} when {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      on       | off | On 204
      on       | on  |
      off      | on  | ForceOff 204
      off      | off |
      cycle    | on  | ForceOff 204, On 204
      cycle    | off | On 204
      reset    | on  | ForceRestart 204
      reset    | off | On 204
      soft-off | on  | GracefulShutdown 204
      soft-off | off |
      """)
  void eachActionSendsExactlyWhatItNeedsInOneSessionThatIsDeleted(String action, String initial, String resets) {
    fleet.setPower(BMC, initial.equals("on"));
    List<String> expected = resets == null ? List.of() : Arrays.asList(resets.split(", "));
    PowerAction powerAction = PowerAction.fromWire(action);

    PowerResult result = driver.execute(powerAction, settings());
    driver.closeIdleSessions();

    assertThat(fleet.resets(BMC)).containsExactlyElementsOf(expected);
    assertThat(fleet.powerState(BMC)).isEqualTo(powerAction.targetState());
    assertThat(result.reachedTarget()).isTrue();
    assertThat(result.observed()).isEqualTo(powerAction.targetState());
    assertThat(result.commandsSent()).isEqualTo(expected.size());
    List<String> log = fleet.log(BMC);
    assertThat(log.get(0)).startsWith(SESSION_OPENED + " ").endsWith(" 201");
    assertThat(log.get(log.size() - 1)).isEqualTo("session-delete " + sessionId(log.get(0)) + " 204");
    assertThat(fleet.sessions(BMC).open()).isZero();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void powerStateReadsWhatTheBmcHoldsAndSendsNothing(boolean on) {
    fleet.setPower(BMC, on);

    assertThat(driver.powerState(settings())).isEqualTo(on ? PowerState.ON : PowerState.OFF);
    assertThat(fleet.resets(BMC)).isEmpty();
  }

  @Test
  void alreadyOnAnsweredWith409IsDoneWithNothingMoreSent() {
    fleet.fault(BMC, "conflictWhenInState", true);
    poweringOnFor(BMC, Duration.ofMillis(800)); // someone else turned it on: PoweringOn, then On

    PowerResult result = driver.powerOn(settings());

    assertThat(fleet.resets(BMC)).containsExactly("On 409");
    assertThat(result.reachedTarget()).isTrue();
    assertThat(result.observed()).isEqualTo(PowerState.ON);
    assertThat(result.commandsSent()).isEqualTo(1);
  }

  @Test
  void onWhenOnSendsNothingEvenToABmcThatWouldAnswer409() {
    fleet.fault(BMC, "conflictWhenInState", true);
    fleet.setPower(BMC, true);

    assertThat(driver.powerOn(settings()).detail()).isEqualTo("already on");
    assertThat(fleet.resets(BMC)).isEmpty();
  }

  @Test
  void theTransient409RightAfterOffIsRetriedUntilTheBmcTakesOn() {
    RedfishDriver patient = driver(properties -> properties.setResendAfter(Duration.ofSeconds(3)));
    fleet.fault(BMC, "conflictAfterOffMs", 1500); // within resend-after, and long enough to meet the first On
    fleet.setPower(BMC, true);

    PowerResult result = patient.powerCycle(settings());

    List<String> resets = fleet.resets(BMC);
    assertThat(resets.get(0)).isEqualTo("ForceOff 204");
    assertThat(resets.get(1)).isEqualTo("On 409");
    assertThat(resets.subList(1, resets.size() - 1)).containsOnly("On 409");
    assertThat(resets.get(resets.size() - 1)).isEqualTo("On 204");
    assertThat(result.reachedTarget()).isTrue();
    assertThat(fleet.powerState(BMC)).isEqualTo(PowerState.ON);
  }

  @Test
  void aConflictThatDoesNotPassIsTransientAndQuotesTheBmc() {
    fleet.fault(BMC, "conflictAfterOffMs", 60_000);
    writeOffNow();

    TransientBmcFault fault = catchThrowableOfType(() -> driver.powerOn(settings()), TransientBmcFault.class);

    assertThat(fault).isNotNull();
    assertThat(fault.getMessage()).isEqualTo("BMC " + address() + " answered reset On with 409 for 500 ms: \"The "
        + "parameter ResetType with the value 'On' conflicts with the current state of the system.\" "
        + "(Base.1.12.ActionParameterValueConflict)");
    assertThat(fleet.resets(BMC)).isNotEmpty().containsOnly("On 409");
    assertThat(fleet.sessions(BMC).open()).isZero();
  }

  @Test
  void a202WithATaskMonitorIsJudgedByPowerState() {
    fleet.fault(BMC, "task", true);
    fleet.fault(BMC, "lagMs", 600);

    PowerResult result = driver.powerOn(settings());

    assertThat(fleet.resets(BMC)).containsExactly("On 202");
    assertThat(result.reachedTarget()).isTrue();
    assertThat(result.observed()).isEqualTo(PowerState.ON);
  }

  @Test
  void poweringOnLongerThanResendAfterIsWaitedForWithoutResending() {
    fleet.fault(BMC, "lagMs", 1500); // resend-after is 500 ms, the verify bound 4 s

    PowerResult result = driver.powerOn(settings());

    assertThat(fleet.resets(BMC)).containsExactly("On 204");
    assertThat(result.reachedTarget()).isTrue();
    assertThat(result.commandsSent()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "\"Unknown\"", "\"Reset\""})
  void aPowerStateThatSaysNothingIsReadAgainBeforeActing(String glitch) throws Exception {
    fleet.setPower(BMC, true);
    fleet.fault(BMC, "glitchValue", new com.fasterxml.jackson.databind.ObjectMapper().readTree(glitch));
    fleet.fault(BMC, "glitchReads", 2);

    PowerResult result = driver.powerOn(settings());

    assertThat(result.detail()).isEqualTo("already on");
    assertThat(fleet.resets(BMC)).isEmpty();
  }

  @Test
  void aFullSessionTableIsTransientAndTheNextAttemptWorks() {
    fleet.fault(BMC, "sessionLimit", 0);

    TransientBmcFault fault = catchThrowableOfType(() -> driver.powerOn(settings()), TransientBmcFault.class);

    assertThat(fault).isNotNull();
    assertThat(fault.getMessage()).isEqualTo("BMC " + address() + " refused a new session with 503: \"The maximum "
        + "number of user sessions is reached.\" (IDRAC.2.9.RAC0218) (too many sessions open on it; retry later)");
    assertThat(fleet.log(BMC)).containsExactly("session-create - 503");
    fleet.normal(BMC);
    assertThat(driver.powerOn(settings()).reachedTarget()).isTrue();
    assertThat(fleet.resets(BMC)).containsExactly("On 204");
  }

  @Test
  void aWrongPasswordIsFatalAtOnceAndNothingIsSent() {
    FatalBmcFault fault = catchThrowableOfType(() -> driver.powerOn(settings("not-the-password",
        Map.of("caCertificate", fleet.certificatePem()))),
        FatalBmcFault.class);

    assertThat(fault).isNotNull();
    assertThat(fault.getMessage()).isEqualTo("BMC " + address() + " rejected the credentials of user 'admin' (401: "
        + "\"Authentication failed: invalid user name or password.\" (Base.1.12.NoValidSession))");
    assertThat(stackTrace(fault)).doesNotContain("not-the-password");
    assertThat(fleet.log(BMC)).containsExactly("session-create - 401");
    assertThat(fleet.powerState(BMC)).isEqualTo(PowerState.OFF);
  }

  @Test
  void aFrozenBmcFailsWithinTheTimeoutAndWorksOnceThawed() {
    fleet.fault(BMC, "frozen", true);
    long started = System.nanoTime();
    TransientBmcFault fault;
    try {
      fault = catchThrowableOfType(() -> driver.powerOn(settings()), TransientBmcFault.class);
    } finally {
      fleet.normal(BMC);
    }

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(fault).isNotNull();
    assertThat(fault.getMessage()).isEqualTo("BMC " + address() + " did not answer within 1 s while reading the "
        + "service root");
    assertThat(fleet.log(BMC)).isEmpty();
    assertThat(driver.powerOn(settings()).reachedTarget()).isTrue();
    assertThat(fleet.resets(BMC)).containsExactly("On 204");
  }

  @Test
  void aFailingResetIsTransientQuotesTheBmcAndTheSessionIsStillDeleted() {
    fleet.fault(BMC, "failing", true);

    TransientBmcFault fault = catchThrowableOfType(() -> driver.powerOn(settings()), TransientBmcFault.class);

    assertThat(fault).isNotNull();
    assertThat(fault.getMessage()).isEqualTo("BMC " + address() + " answered reset On with 500: \"The request failed "
        + "due to an internal service error.\" (Base.1.12.InternalError)");
    assertThat(fleet.resets(BMC)).containsExactly("On 500");
    assertThat(fleet.sessions(BMC).open()).isZero();
    assertThat(fleet.log(BMC).get(fleet.log(BMC).size() - 1)).startsWith("session-delete ").endsWith(" 204");
  }

  @Test
  void aKeptSessionServesTheNextOperationsAndIsDeletedAfterTheIdleTime() {
    RedfishDriver keeping = driver(properties -> properties.getRedfish().setSessionIdle(Duration.ofSeconds(2)));

    assertThat(keeping.powerOn(settings()).reachedTarget()).isTrue();
    assertThat(keeping.powerCycle(settings()).reachedTarget()).isTrue();
    assertThat(keeping.powerState(settings())).isEqualTo(PowerState.ON);

    assertThat(fleet.resets(BMC)).containsExactly("On 204", "ForceOff 204", "On 204");
    assertThat(sessionEvents()).as("one session for the three operations, still open").hasSize(1);
    assertThat(fleet.sessions(BMC).open()).isEqualTo(1);
    String id = sessionId(sessionEvents().get(0));
    awaitNoOpenSession(Duration.ofSeconds(15));
    assertThat(sessionEvents()).containsExactly("session-create " + id + " 201", "session-delete " + id + " 204");
  }

  @Test
  void keptSessionsAreDeletedAtShutdownAndNoneIsKeptAfterwards() {
    driver.powerOn(settings());
    assertThat(fleet.sessions(BMC).open()).isEqualTo(1);

    driver.destroy();

    assertThat(fleet.sessions(BMC).open()).isZero();
    driver.powerOff(settings()); // an operation still running at shutdown deletes its session at its end
    assertThat(fleet.sessions(BMC).open()).isZero();
    assertThat(fleet.resets(BMC)).containsExactly("On 204", "ForceOff 204");
    List<String> sessions = sessionEvents();
    assertThat(sessions).hasSize(4);
    assertThat(sessions.get(1)).isEqualTo("session-delete " + sessionId(sessions.get(0)) + " 204");
    assertThat(sessions.get(3)).isEqualTo("session-delete " + sessionId(sessions.get(2)) + " 204");
  }

  @Test
  void aKeptSessionTheBmcDroppedIsReplacedOnceByANewLogin() throws Exception {
    fleet.setPower(BMC, true);
    driver.powerState(settings());
    String dropped = sessionId(sessionEvents().get(0));
    dropSessionBehindTheDriversBack(dropped);

    PowerResult result = driver.powerOff(settings());
    driver.closeIdleSessions();

    assertThat(result.reachedTarget()).isTrue();
    assertThat(fleet.resets(BMC)).containsExactly("ForceOff 204");
    List<String> sessions = sessionEvents();
    assertThat(sessions).hasSize(4);
    assertThat(sessions.subList(0, 2)).containsExactly("session-create " + dropped + " 201",
        "session-delete " + dropped + " 204");
    String renewed = sessionId(sessions.get(2));
    assertThat(sessions.subList(2, 4)).containsExactly("session-create " + renewed + " 201",
        "session-delete " + renewed + " 204");
    assertThat(fleet.peakSessionsInLog(BMC)).isEqualTo(1);
  }

  @Test
  void aKeptSessionServesOnlyTheSettingsItWasOpenedWith() {
    driver.powerOn(settings());

    assertThat(catchThrowableOfType(() -> driver.powerOff(settings("not-the-password",
        Map.of("caCertificate", fleet.certificatePem()))), FatalBmcFault.class)).isNotNull();

    assertThat(fleet.resets(BMC)).containsExactly("On 204");
    List<String> sessions = sessionEvents();
    assertThat(sessions).containsExactly("session-create " + sessionId(sessions.get(0)) + " 201",
        "session-delete " + sessionId(sessions.get(0)) + " 204", "session-create - 401");
    assertThat(fleet.sessions(BMC).open()).isZero();
  }

  @Test
  void aSelfSignedCertificateWithoutCaOrVerifyFalseFailsWithATlsReasonAndNothingIsSent() {
    FatalBmcFault fault = catchThrowableOfType(() -> driver.powerOn(settings(RedfishSimulatorFleet.PASSWORD,
        Map.of())), FatalBmcFault.class);

    assertThat(fault).isNotNull();
    assertThat(fault.getMessage()).startsWith("BMC " + address() + " presented a TLS certificate that is not trusted (")
        .endsWith("): give the BMC's CA certificate in option caCertificate (PEM), or set verifyTls=false explicitly");
    assertThat(fleet.log(BMC)).isEmpty();
    assertThat(driver.powerOn(settings(RedfishSimulatorFleet.PASSWORD, Map.of("verifyTls", "false")))
        .reachedTarget()).isTrue();
    assertThat(fleet.resets(BMC)).containsExactly("On 204");
  }

  @Test
  void theServiceRootAndSystemsAreReadOnFirstContactOnly() {
    driver.powerState(settings(Map.of("systemId", "1")));
    fleet.fault(BMC, "failingPaths", List.of("/redfish/v1", "/redfish/v1/Systems"));

    driver.powerCycle(settings(Map.of("systemId", "1")));
    driver.powerCycle(settings(Map.of("systemId", "1")));

    assertThat(fleet.resets(BMC)).containsExactly("On 204", "ForceOff 204", "On 204");
    assertThat(catchThrowableOfType(() -> driver.powerState(settings(Map.of("systemId", "2"))),
        TransientBmcFault.class)).as("a node with other settings reads them again")
        .hasMessageStartingWith("BMC " + address() + " answered reading the service root (GET /redfish/v1) with 500");
  }

  @Test
  void theSystemIdIsDiscoveredOrNamedAndSeveralSystemsNeedTheOption() {
    fleet.fault(BMC, "systemIds", List.of("System.Embedded.1"));
    assertThat(driver.powerOn(settings()).reachedTarget()).isTrue();

    fleet.fault(BMC, "systemIds", List.of("A", "B"));
    assertThat(catchThrowableOfType(() -> driver.powerOff(settings()), TransientBmcFault.class))
        .hasMessage("BMC " + address() + " no longer has system /redfish/v1/Systems/System.Embedded.1 (found earlier): "
            + "it is looked up again on the next attempt");
    assertThat(catchThrowableOfType(() -> driver.powerOff(settings()), FatalBmcFault.class))
        .hasMessage("BMC " + address() + " has several systems (A, B): set option systemId to the one to drive");
    assertThat(catchThrowableOfType(() -> driver.powerOff(settings(Map.of("systemId", "C"))), FatalBmcFault.class))
        .hasMessage("BMC " + address() + " has no system 'C' (option systemId; its systems: A, B)");
    assertThat(driver.powerOff(settings(Map.of("systemId", "B"))).reachedTarget()).isTrue();
    driver.closeIdleSessions();

    assertThat(fleet.resets(BMC)).containsExactly("On 204", "ForceOff 204");
    assertThat(fleet.sessions(BMC).open()).isZero();
  }

  @Test
  void aSessionTheBmcDropsIsReplacedAndEverySessionEnds() {
    fleet.setPower(BMC, true);
    driver.powerState(settings()); // the BMC's layout is known: the cycle goes straight to its session and system
    driver.closeIdleSessions(); // the cycle opens a new session
    fleet.clearLogs();
    fleet.fault(BMC, "sessionRequests", 3);

    PowerResult result = driver.powerCycle(settings());
    driver.closeIdleSessions();

    assertThat(result.reachedTarget()).isTrue();
    // the session dies after 3 requests (read, ForceOff, read-back): On is refused with 401, not carried out, and
    // sent again once in a new session
    assertThat(fleet.resets(BMC)).containsExactly("ForceOff 204", "On 401", "On 204");
    List<String> sessions = fleet.log(BMC).stream().filter(line -> line.startsWith("session-")).toList();
    long created = sessions.stream().filter(line -> line.startsWith(SESSION_OPENED)).count();
    long expired = sessions.stream().filter(line -> line.startsWith("session-expire")).count();
    long deleted = sessions.stream().filter(line -> line.startsWith("session-delete") && line.endsWith(" 204")).count();
    assertThat(created).isGreaterThan(1);
    assertThat(expired).isPositive();
    assertThat(expired + deleted).as("every session ended: dropped by the BMC or deleted").isEqualTo(created);
    assertThat(fleet.peakSessionsInLog(BMC)).isEqualTo(1);
    assertThat(fleet.sessions(BMC).open()).isZero();
  }

  @Test
  void aBmcWithoutSessionServiceIsDrivenWithBasicAuthentication() {
    fleet.fault(BMC, "noSessionService", true);

    assertThat(driver.powerCycle(settings()).reachedTarget()).isTrue();

    assertThat(fleet.log(BMC)).containsExactly("reset On 204");
  }

  @ParameterizedTest(name = "actionInfo={0}")
  @ValueSource(booleans = {false, true})
  void resetTypesAreCheckedAgainstWhatTheBmcAllows(boolean actionInfo) {
    fleet.fault(BMC, "allowedResetTypes", List.of("ForceOn", "ForceOff"));
    fleet.fault(BMC, "actionInfo", actionInfo);

    assertThat(driver.powerOn(settings()).reachedTarget()).isTrue();
    FatalBmcFault fault = catchThrowableOfType(() -> driver.reset(settings()), FatalBmcFault.class);

    assertThat(fault).hasMessage("BMC " + address() + " does not allow hard reset (ResetType ForceRestart); it "
        + "allows: ForceOn, ForceOff");
    assertThat(fleet.resets(BMC)).containsExactly("ForceOn 204");
  }

  @Test
  void badSettingsAreFatalBeforeAnyRequest() {
    assertThat(catchThrowableOfType(() -> driver.powerOn(settings(Map.of("verifyTLS", "false"))),
        FatalBmcFault.class)).hasMessage("BMC " + address() + " has options the redfish driver does not know: "
        + "[verifyTLS] (known: [caCertificate, scheme, systemId, verifyTls])");
    assertThat(catchThrowableOfType(() -> driver.powerOn(settings(Map.of("scheme", "ftp"))), FatalBmcFault.class))
        .hasMessage("BMC " + address() + " has an unsupported scheme 'ftp' (allowed: https, http)");
    assertThat(catchThrowableOfType(() -> driver.powerOn(settings(Map.of("verifyTls", "no"))), FatalBmcFault.class))
        .hasMessage("BMC " + address() + " has verifyTls 'no' (allowed: true, false)");
    assertThat(catchThrowableOfType(() -> driver.powerOn(settings(Map.of("caCertificate", "not a pem"))),
        FatalBmcFault.class)).hasMessageStartingWith("BMC " + address() + " has a caCertificate that cannot be used");
    assertThat(fleet.log(BMC)).isEmpty();
  }

  @Test
  void thePasswordAppearsInNoLogLineAndNoFault() {
    List<BmcFault> faults = new ArrayList<>();
    List<String> logLines;
    try (LogCapture logs = LogCapture.start()) {
      driver.powerCycle(settings());
      faults.add(catchThrowableOfType(() -> driver.powerOn(settings("wrong-" + RedfishSimulatorFleet.PASSWORD,
          Map.of("verifyTls", "false"))), BmcFault.class));
      fleet.fault(BMC, "failing", true);
      faults.add(catchThrowableOfType(() -> driver.powerOff(settings()), BmcFault.class));
      fleet.fault(BMC, "noSessionService", true);
      faults.add(catchThrowableOfType(() -> driver.powerOff(settings()), BmcFault.class));
      logLines = logs.lines();
    } finally {
      fleet.normal(BMC);
    }

    assertThat(logLines).noneMatch(line -> line.contains(RedfishSimulatorFleet.PASSWORD));
    assertThat(faults).hasSize(3).doesNotContainNull()
        .allSatisfy(fault -> assertThat(stackTrace(fault)).doesNotContain(RedfishSimulatorFleet.PASSWORD));
    assertThat(settings().toString()).doesNotContain(RedfishSimulatorFleet.PASSWORD);
  }

  /** The BMC is on its way on: PoweringOn for this long. */
  private void poweringOnFor(int bmc, Duration lag) {
    writeState(bmc, "{\"PowerState\": \"Off\", \"offAt\": 0, \"target\": \"On\", \"until\": "
        + (System.currentTimeMillis() + lag.toMillis()) + "}");
  }

  private void writeOffNow() {
    writeState(BMC, "{\"PowerState\": \"Off\", \"offAt\": " + System.currentTimeMillis() + "}");
  }

  private void writeState(int bmc, String json) {
    try {
      var tmp = fleet.dir(bmc).resolve("state.json.test-tmp");
      Files.writeString(tmp, json);
      Files.move(tmp, fleet.dir(bmc).resolve("state.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private RedfishDriver driver(Consumer<BmcProperties> tuning) {
    BmcProperties properties = new BmcProperties();
    properties.setMinCommandInterval(Duration.ZERO);
    properties.setVerifyTimeout(Duration.ofSeconds(4));
    properties.setVerifyPollInterval(Duration.ofMillis(50));
    properties.setResendAfter(Duration.ofMillis(500));
    properties.getRedfish().setTimeout(Duration.ofSeconds(1));
    properties.getRedfish().setSessionIdle(Duration.ofMinutes(1)); // deleted when the test says, or after it
    tuning.accept(properties);
    RedfishDriver made = new RedfishDriver(new BmcGate(properties), properties, cipher, new RedfishClients(properties));
    drivers.add(made);
    return made;
  }

  private List<String> sessionEvents() {
    return fleet.log(BMC).stream().filter(line -> line.startsWith("session-")).toList();
  }

  private void awaitNoOpenSession(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (fleet.sessions(BMC).open() > 0 && System.nanoTime() < deadline) {
      Pause.sleep(Duration.ofMillis(100), address());
    }
    assertThat(fleet.sessions(BMC).open()).as("sessions open %s after the last operation", bound).isZero();
  }

  /** Deletes a session as another client of the BMC could (or the BMC itself, at its own session timeout). */
  private void dropSessionBehindTheDriversBack(String id) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(RedfishTls.trusting(fleet.certificatePem())).build();
    String basic = Base64.getEncoder().encodeToString((RedfishSimulatorFleet.USER + ":" + RedfishSimulatorFleet.PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("https://" + address()
        + "/redfish/v1/SessionService/Sessions/" + id)).DELETE().header("Authorization", "Basic " + basic).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(204);
  }

  /** The simulator's BMC over HTTPS, its certificate as CA. */
  private BmcSettings settings() {
    return settings(Map.of());
  }

  private BmcSettings settings(Map<String, String> options) {
    Map<String, String> all = new HashMap<>(options);
    all.putIfAbsent("caCertificate", fleet.certificatePem());
    return settings(RedfishSimulatorFleet.PASSWORD, all);
  }

  private BmcSettings settings(String password, Map<String, String> options) {
    return new BmcSettings("redfish", fleet.host(), fleet.port(BMC), RedfishSimulatorFleet.USER, cipher.seal(password),
        options);
  }

  private String address() {
    return fleet.host() + ":" + fleet.port(BMC);
  }

  private static String sessionId(String sessionEvent) {
    return sessionEvent.split(" ")[1];
  }

  private static String stackTrace(Throwable throwable) {
    StringWriter text = new StringWriter();
    throwable.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
