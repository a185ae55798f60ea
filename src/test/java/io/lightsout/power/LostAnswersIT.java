package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppEnvironment;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.PowerRequestWaits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §1, principle 3, against real ipmi_sim BMCs that carry out a command and answer it past the driver's
 * timeout (a lost answer: the most common way a retry acts twice). A retry builds on what the attempts before it
 * did: a cycle never cycles twice, every command sent counts in the result, and a hard reset that may have reached
 * the BMC is never sent again without an operator.
 */
class LostAnswersIT {

  private static final String ADMIN_PASSWORD = "lost-admin-Pw7";
  private static final int CYCLE = 0;
  private static final int ON = 1;
  private static final int RESET = 2;

  @TempDir
  Path workDir;

  private BmcSimulatorFleet fleet;

  @BeforeEach
  void setUp() {
    fleet = BmcSimulatorFleet.start(3);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  @Test
  void aRetryAfterALostAnswerNeverActsTwiceAndCountsWhatWasSent() {
    Map<String, String> env = AppEnvironment.onFreshDatabase(ADMIN_PASSWORD);
    String[] args = {"--lightsout.instance-id=lost-answers-test", "--lightsout.bmc.ipmi.timeout=2s",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.monitor.enabled=false",
        "--lightsout.power.max-attempts=4", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")};
    try (AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(300))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      for (int i = 0; i < fleet.size(); i++) {
        fleet.setPower(i, i != ON);
        assertThat(admin.post("/api/v1/nodes", Map.of("id", node(i), "bmc", Map.of("driver", "ipmi", "host",
            fleet.host(), "port", fleet.port(i), "username", "admin", "password", fleet.password()))).status())
            .isEqualTo(201);
      }
      fleet.loseAnswers(CYCLE, 2, 3);
      fleet.loseAnswers(ON, 1, 3);
      fleet.loseAnswers(RESET, 1, 3);
      String cycle = post(admin, CYCLE, "cycle");
      String on = post(admin, ON, "on");
      String reset = post(admin, RESET, "reset");

      // off carried out, answer lost; then off read back and on carried out, answer lost; then on read back
      JsonNode cycled = PowerRequestWaits.awaitFinal(admin, cycle, Duration.ofSeconds(120));
      assertThat(cycled.get("status").asText()).as(cycled.toString()).isEqualTo("succeeded");
      assertThat(cycled.get("attempts").asInt()).as(cycled.toString()).isEqualTo(3);
      assertThat(cycled.get("result").asText()).contains("(2 command(s) sent");
      assertThat(fleet.commands(CYCLE)).as("one cycle at the BMC").containsExactly("set power 0", "set power 1");

      JsonNode switchedOn = PowerRequestWaits.awaitFinal(admin, on, Duration.ofSeconds(120));
      assertThat(switchedOn.get("status").asText()).as(switchedOn.toString()).isEqualTo("succeeded");
      assertThat(switchedOn.get("result").asText()).contains("(1 command(s) sent");
      assertThat(fleet.commands(ON)).containsExactly("set power 1");

      JsonNode reset1 = PowerRequestWaits.awaitFinal(admin, reset, Duration.ofSeconds(120));
      assertThat(reset1.get("status").asText()).as(reset1.toString()).isEqualTo("failed");
      assertThat(reset1.get("result").asText()).contains("may or may not have been reset");
      assertThat(admin.get("/api/v1/nodes/" + node(RESET)).json().get("hold").get("kind").asText())
          .isEqualTo("bmc-unreachable");
      assertThat(fleet.commands(RESET)).as("one reset at the BMC").containsExactly("set reset 1");
      app.stop();
    }
  }

  private static String node(int i) {
    return "lost-" + i;
  }

  private static String post(ApiClient admin, int i, String action) {
    ApiClient.Response answer = admin.post("/api/v1/nodes/" + node(i) + "/power-requests",
        Map.of("action", action, "reason", "lost answers test"));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    return answer.json().get("id").asText();
  }
}
