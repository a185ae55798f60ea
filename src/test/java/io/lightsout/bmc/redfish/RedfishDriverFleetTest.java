package io.lightsout.bmc.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.bmc.BmcGate;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.PowerAction;
import io.lightsout.bmc.PowerResult;
import io.lightsout.security.CredentialCipher;
import io.lightsout.testing.RedfishSimulatorFleet;
import io.lightsout.testing.TestSecrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many operations on many Redfish BMCs at once: each BMC's session serves all its operations, every session opened is
 * deleted (at shutdown here), and no BMC ever has two.
 */
class RedfishDriverFleetTest {

  private static final int BMCS = 20;
  private static final int OPERATIONS = 200;

  @Test
  void twoHundredOperationsOverTwentyBmcsShareOneSessionPerBmcAndLeaveNoneAfterShutdown() throws Exception {
    CredentialCipher cipher = TestSecrets.cipher();
    BmcProperties properties = new BmcProperties();
    properties.setMinCommandInterval(Duration.ofMillis(20));
    properties.setVerifyPollInterval(Duration.ofMillis(50));
    properties.getRedfish().setTimeout(Duration.ofSeconds(5));
    properties.getRedfish().setSessionIdle(Duration.ofMinutes(5)); // longer than the run: kept until shutdown
    RedfishDriver driver = new RedfishDriver(new BmcGate(properties), properties, cipher,
        new RedfishClients(properties));
    PowerAction[] actions = PowerAction.values();
    Random random = new Random(9);
    try (RedfishSimulatorFleet fleet = RedfishSimulatorFleet.start(BMCS)) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<PowerResult>> results = new ArrayList<>();
      Set<Integer> touched = new HashSet<>();
      for (int i = 0; i < OPERATIONS; i++) {
        int bmc = random.nextInt(BMCS);
        touched.add(bmc);
        PowerAction action = actions[random.nextInt(actions.length)];
        BmcSettings settings = new BmcSettings("redfish", fleet.host(), fleet.port(bmc), RedfishSimulatorFleet.USER,
            cipher.seal(RedfishSimulatorFleet.PASSWORD), Map.of("caCertificate", fleet.certificatePem()));
        results.add(pool.submit(() -> driver.execute(action, settings)));
      }
      for (Future<PowerResult> result : results) {
        assertThat(result.get().reachedTarget()).isTrue();
      }
      pool.shutdown();
      int kept = 0;
      for (int bmc = 0; bmc < BMCS; bmc++) {
        kept += fleet.sessions(bmc).open();
      }
      assertThat(kept).as("sessions kept open after the operations").isEqualTo(touched.size());

      driver.destroy();

      int created = 0;
      for (int bmc = 0; bmc < BMCS; bmc++) {
        RedfishSimulatorFleet.Sessions sessions = fleet.sessions(bmc);
        assertThat(sessions.open()).as("sessions open on BMC %d", bmc).isZero();
        assertThat(sessions.max()).as("most sessions at once on BMC %d", bmc).isLessThanOrEqualTo(1);
        assertThat(sessions.deleted()).as("sessions deleted on BMC %d", bmc).isEqualTo(sessions.created());
        assertThat(fleet.peakSessionsInLog(bmc)).as("most sessions at once in BMC %d's log", bmc).isLessThanOrEqualTo(1);
        created += sessions.created();
      }
      assertThat(created).as("one session per BMC, reused by each of its operations").isEqualTo(touched.size());
    }
  }
}
