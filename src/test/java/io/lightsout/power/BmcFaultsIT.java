package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppEnvironment;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.PowerRequestWaits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: power requests against BMCs that are frozen, killed, slow, failing or refuse the credentials, judged
 * end to end (the packaged application, real ipmi_sim BMCs) against DESIGN §3: unreachable BMCs fail the request
 * after its attempts and hold the node; a failing BMC is retried, then fails; wrong credentials fail at once without
 * a command and hold nothing. Then each BMC works again (thawed: the packets that queued up while it was frozen or
 * hanging are processed now) and the BMC logs must show that no command reached it after its request ended failed.
 * The queue behind a failed request waits for the operator and then runs.
 */
class BmcFaultsIT {

  private static final String ADMIN_PASSWORD = "bmcfaults-admin-Pw9";
  private static final int FROZEN = 0;
  private static final int KILLED = 1;
  private static final int HANGING = 2;
  private static final int FAILING = 3;
  private static final int WRONG_PASSWORD = 4;
  private static final int SLOW = 5;

  @TempDir
  Path workDir;

  private BmcSimulatorFleet fleet;

  @BeforeEach
  void setUp() {
    fleet = BmcSimulatorFleet.start(6);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  @Test
  void faultyBmcsEndAsDesignSaysAndNothingReachesThemAfterTheirRequestFailed() throws IOException {
    Map<String, String> env = AppEnvironment.onFreshDatabase(ADMIN_PASSWORD);
    String[] args = {"--lightsout.instance-id=bmcfaults-test", "--lightsout.bmc.ipmi.timeout=2s",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.monitor.enabled=false",
        "--lightsout.power.max-attempts=2", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")};
    try (AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(300))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      for (int i = 0; i < fleet.size(); i++) {
        fleet.setPower(i, false);
        String password = i == WRONG_PASSWORD ? "not-" + fleet.password() : fleet.password();
        // the node with the wrong password could not pass the registration's BMC check: it is what this test is about
        String path = i == WRONG_PASSWORD ? "/api/v1/nodes?check=false" : "/api/v1/nodes";
        assertThat(admin.post(path, Map.of("id", node(i), "bmc", Map.of("driver", "ipmi", "host",
            fleet.host(), "port", fleet.port(i), "username", "admin", "password", password))).status())
            .isEqualTo(201);
      }
      fleet.freeze(FROZEN);
      fleet.kill(KILLED);
      fleet.slow(HANGING, 6);
      fleet.failing(FAILING);
      fleet.slow(SLOW, 1);
      Map<Integer, String> first = new LinkedHashMap<>();
      Map<Integer, String> behind = new LinkedHashMap<>();
      for (int i = 0; i < fleet.size(); i++) {
        first.put(i, post(admin, i, "on"));
        behind.put(i, post(admin, i, "cycle"));
      }

      Map<Integer, JsonNode> ended = new LinkedHashMap<>();
      first.forEach((i, id) -> ended.put(i, PowerRequestWaits.awaitFinal(admin, id, Duration.ofSeconds(120))));
      for (int i : List.of(FROZEN, KILLED, HANGING)) {
        JsonNode request = ended.get(i);
        assertThat(request.get("status").asText()).as(request.toString()).isEqualTo("failed");
        assertThat(request.get("result").asText()).contains(fleet.host() + ":" + fleet.port(i))
            .contains("attempt 2 of 2");
        assertThat(hold(admin, i).get("kind").asText()).as("node " + i).isEqualTo("bmc-unreachable");
      }
      JsonNode failing = ended.get(FAILING);
      assertThat(failing.get("status").asText()).as(failing.toString()).isEqualTo("failed");
      assertThat(failing.get("result").asText().toLowerCase()).contains("completion code 0xff")
          .contains("attempt 2 of 2");
      assertThat(fleet.commands(FAILING)).as("a failing BMC: one command per attempt")
          .containsExactly("set power 1", "set power 1");
      assertThat(hold(admin, FAILING).get("kind").asText()).isEqualTo("bmc-unreachable");
      JsonNode refused = ended.get(WRONG_PASSWORD);
      assertThat(refused.get("status").asText()).as(refused.toString()).isEqualTo("failed");
      assertThat(refused.get("result").asText()).contains("rejected the credentials of user 'admin'");
      assertThat(refused.get("attempts").asInt()).as("fatal: no retry").isEqualTo(1);
      assertThat(hold(admin, WRONG_PASSWORD).isNull()).as("wrong credentials hold nothing").isTrue();
      JsonNode slow = ended.get(SLOW);
      assertThat(slow.get("status").asText()).as(slow.toString()).isEqualTo("succeeded");

      for (int i : List.of(FROZEN, KILLED, HANGING, FAILING)) {
        fleet.normal(i);
      }
      sleep(6000);
      List<String> problems = new ArrayList<>();
      for (int i : List.of(FROZEN, KILLED, HANGING, FAILING, WRONG_PASSWORD)) {
        long failedAt = Instant.parse(ended.get(i).get("finishedAt").asText()).toEpochMilli();
        fleet.events(i).stream().filter(e -> e.epochMillis() > failedAt)
            .forEach(e -> problems.add(node(i) + ": " + e + " after its request ended at " + failedAt));
      }
      assertThat(problems).as("commands that reached a BMC after its request ended").isEmpty();
      for (int i : List.of(FROZEN, KILLED, HANGING)) {
        assertThat(fleet.events(i)).as("node " + i + " got nothing").isEmpty();
      }
      for (int i : List.of(FROZEN, KILLED, HANGING, FAILING)) {
        assertThat(status(admin, behind.get(i))).as("the queue behind waits for the operator").isEqualTo("held");
      }

      for (int i : List.of(FROZEN, KILLED, HANGING, FAILING)) {
        assertThat(admin.post("/api/v1/nodes/" + node(i) + "/resume", null).status()).isEqualTo(200);
      }
      for (int i = 0; i < fleet.size(); i++) {
        JsonNode cycle = PowerRequestWaits.awaitFinal(admin, behind.get(i), Duration.ofSeconds(120));
        int bmc = i;
        if (i == WRONG_PASSWORD) {
          assertThat(cycle.get("status").asText()).as(cycle.toString()).isEqualTo("failed");
          assertThat(fleet.events(bmc)).isEmpty();
        } else {
          assertThat(cycle.get("status").asText()).as(cycle.toString()).isEqualTo("succeeded");
          assertThat(fleet.powerState(bmc)).isEqualTo(io.lightsout.bmc.PowerState.ON);
        }
      }
      for (int i : List.of(FROZEN, KILLED, HANGING)) {
        assertThat(fleet.commands(i)).as("node " + i + ": the cycle from off, nothing of the failed 'on'")
            .containsExactly("set power 1");
      }
      assertThat(fleet.commands(SLOW)).as("slow BMC: on, then cycle").containsExactly("set power 1", "set power 0",
          "set power 1");
      write(ended);
      app.stop();
      assertThat(app.console()).doesNotContain(fleet.password());
    }
  }

  private static String node(int i) {
    return "bmcfault-" + i;
  }

  private static String post(ApiClient admin, int i, String action) {
    ApiClient.Response answer = admin.post("/api/v1/nodes/" + node(i) + "/power-requests",
        Map.of("action", action, "reason", "BMC fault test"));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    return answer.json().get("id").asText();
  }

  private static JsonNode hold(ApiClient admin, int i) {
    return admin.get("/api/v1/nodes/" + node(i)).json().get("hold");
  }

  private static String status(ApiClient admin, String id) {
    return admin.get("/api/v1/power-requests/" + id).json().get("status").asText();
  }


  private void write(Map<Integer, JsonNode> ended) throws IOException {
    Path file = Path.of("target", "reliability", "bmc-faults.txt");
    Files.createDirectories(file.getParent());
    List<String> lines = new ArrayList<>(List.of("BMC faults (BmcFaultsIT), one request 'on' each, then 'cycle' behind it"));
    List<String> names = List.of("frozen, thawed", "killed, restarted", "hanging 6 s (timeout 2 s)", "failing 0xFF",
        "wrong password", "slow 1 s");
    ended.forEach((i, request) -> lines.add(names.get(i) + ": " + request.get("status").asText() + ", "
        + request.get("attempts").asInt() + " attempt(s): " + request.get("result").asText()));
    lines.add("commands after a request ended failed: 0");
    Files.write(file, lines);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
