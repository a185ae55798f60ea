package io.lightsout.bmc.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.bmc.BmcGate;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.PowerResult;
import io.lightsout.bmc.PowerState;
import io.lightsout.security.CredentialCipher;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.BmcSimulatorFleet.ChassisCall;
import io.lightsout.testing.TestSecrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One ipmi driver (one UDP connector) drives 50 real IPMI BMCs from many threads at once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IpmiDriverFleetTest {

  private static final int BMCS = 50;

  private final CredentialCipher cipher = TestSecrets.cipher();
  private BmcSimulatorFleet fleet;
  private IpmiClient client;
  private BmcGate gate;
  private IpmiDriver driver;

  @BeforeAll
  void start() {
    fleet = BmcSimulatorFleet.start(BMCS);
    BmcProperties properties = new BmcProperties();
    properties.setMinCommandInterval(Duration.ofMillis(100));
    properties.setMaxConcurrentSessions(16);
    // Correctness under concurrency, not timeouts (IpmiDriverTest covers those): a loaded CI machine may keep a
    // BMC's answer waiting for more than the production default of 3 s, and the driver alone does not retry.
    properties.getIpmi().setTimeout(Duration.ofSeconds(5));
    client = new IpmiClient(properties);
    gate = new BmcGate(properties);
    driver = new IpmiDriver(gate, properties, cipher, client);
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private int retriesBefore;

  @BeforeEach
  void forgetWhatBmcsReceived() {
    fleet.clearLogs();
    retriesBefore = client.sessionRetries();
  }

  @Test
  void fiftyBmcsAtOnceGetEveryCommandExactlyOnce() throws Exception {
    for (int i = 0; i < BMCS; i++) {
      fleet.setPower(i, i % 2 == 0);
    }
    List<Callable<List<PowerResult>>> work = new ArrayList<>();
    for (int i = 0; i < BMCS; i++) {
      BmcSettings settings = settings(i);
      work.add(() -> List.of(driver.powerOff(settings), driver.powerOn(settings), driver.powerCycle(settings)));
    }

    List<List<PowerResult>> results = runAll(work);

    for (int i = 0; i < BMCS; i++) {
      List<String> expected = i % 2 == 0
          ? List.of("set power 0", "set power 1", "set power 0", "set power 1")
          : List.of("set power 1", "set power 0", "set power 1");
      assertThat(fleet.commands(i)).as("BMC %d", i).containsExactlyElementsOf(expected);
      assertThat(fleet.powerState(i)).as("BMC %d", i).isEqualTo(PowerState.ON);
      assertThat(results.get(i)).as("BMC %d", i).allMatch(PowerResult::reachedTarget);
    }
    assertNoOverlapOnAnyBmc();
  }

  @Test
  void threeCallersAskingOneBmcForTheSameStateSendOneCommand() throws Exception {
    for (int i = 0; i < BMCS; i++) {
      fleet.setPower(i, false);
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Callable<PowerResult>> work = new ArrayList<>();
    for (int caller = 0; caller < 3; caller++) {
      for (int i = 0; i < BMCS; i++) {
        BmcSettings settings = settings(i);
        work.add(() -> {
          go.await();
          return driver.powerOn(settings);
        });
      }
    }

    List<PowerResult> results = runAll(work, go);

    for (int i = 0; i < BMCS; i++) {
      assertThat(fleet.commands(i)).as("BMC %d", i).containsExactly("set power 1");
      assertThat(fleet.powerState(i)).as("BMC %d", i).isEqualTo(PowerState.ON);
    }
    assertThat(results).allMatch(PowerResult::reachedTarget);
    assertThat(results.stream().mapToInt(PowerResult::commandsSent).sum()).isEqualTo(BMCS);
    assertNoOverlapOnAnyBmc();
  }

  /**
   * Proof from the BMC side: its debug log never shows two sessions in use at once, every session it started was
   * closed or is explained by one of the client's session retries, and its chassis program never ran two commands
   * at once.
   */
  private void assertNoOverlapOnAnyBmc() {
    int unclosed = 0;
    for (int i = 0; i < BMCS; i++) {
      BmcSimulatorFleet.SessionLog sessions = fleet.sessionLog(i);
      assertThat(sessions.peakInUse()).as("most sessions in use at once on BMC %d", i).isEqualTo(1);
      assertThat(sessions.closed()).as("sessions of BMC %d: %s", i, sessions).isLessThanOrEqualTo(sessions.started());
      unclosed += sessions.started() - sessions.closed();
      List<ChassisCall> calls = fleet.chassisCalls(i);
      for (int c = 1; c < calls.size(); c++) {
        assertThat(calls.get(c).beginMillis()).as("BMC %d call %d", i, c)
            .isGreaterThanOrEqualTo(calls.get(c - 1).endMillis());
      }
    }
    // Every session the BMC did not see closed is one the client gave up on and opened again: the library's integrity
    // defect (abandoned while authenticating), or a lost answer to raising the privilege, after which the close of
    // that session may be lost as well (seen in CI: 4 started, 3 closed on one BMC, one retry). Any other leak fails.
    assertThat(unclosed).as("sessions never closed, against the client's session retries")
        .isLessThanOrEqualTo(client.sessionRetries() - retriesBefore);
    assertThat(gate.openSessions()).isZero();
  }

  private <T> List<T> runAll(List<Callable<T>> work) throws Exception {
    return runAll(work, null);
  }

  private <T> List<T> runAll(List<Callable<T>> work, CountDownLatch go) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(work.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : work) {
        futures.add(threads.submit(task));
      }
      if (go != null) {
        go.countDown();
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      // A failed run must not leave callers running into the next test's logs and counters.
      threads.shutdownNow();
      threads.awaitTermination(60, TimeUnit.SECONDS);
    }
  }

  private BmcSettings settings(int i) {
    return new BmcSettings("ipmi", fleet.host(), fleet.port(i), "admin", cipher.seal(fleet.password()), Map.of());
  }
}
