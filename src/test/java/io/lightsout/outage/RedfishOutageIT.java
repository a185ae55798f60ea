package io.lightsout.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.bmc.PowerState;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppEnvironment;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.RedfishSimulatorFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage review with nodes of driver {@code redfish}, as {@link OutageIT} shows it for ipmi: Lights-Out in its
 * own JVM is killed with SIGKILL while a cycle is under way at a simulated Redfish BMC over HTTPS and another request
 * waits behind it; after the restart the node's queue is held for review, the interrupted request tells the power
 * state the driver read at the BMC, nothing is sent until an operator decides, and the decision runs the queue.
 */
class RedfishOutageIT {

  private static final String ADMIN_PASSWORD = "rf-outage-admin-Pw9";
  /** How long the simulated machine stays "PoweringOff" after ForceOff: the cycle is under way when killed. */
  private static final int LAG_MS = 3000;
  private static final Duration QUIET = Duration.ofSeconds(10);
  private static final String[] FINAL = {"succeeded", "failed", "cancelled", "merged", "superseded"};

  @TempDir
  Path workDir;

  private RedfishSimulatorFleet fleet;
  private Map<String, String> env;
  private String[] args;

  @BeforeEach
  void setUp() {
    fleet = RedfishSimulatorFleet.start(2);
    env = AppEnvironment.onFreshDatabase(ADMIN_PASSWORD);
    args = new String[] {"--lightsout.instance-id=rf-outage-test", "--lightsout.bmc.min-command-interval=0",
        "--lightsout.monitor.enabled=false", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")};
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  @Test
  void afterSigkillARedfishNodesQueueIsHeldShowsTheStateReadAtItsBmcAndRunsOnlyOnTheOperatorsWord() {
    int port;
    String cycle;
    String on;
    try (AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(300))) {
      port = app.port();
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      register(admin, "rf-busy", 0);
      register(admin, "rf-idle", 1);
      fleet.fault(0, "lagMs", LAG_MS);
      cycle = request(admin, "rf-busy", "cycle");
      on = request(admin, "rf-busy", "on");
      Instant forceOff = awaitForceOffAtTheBmc(admin, cycle);
      app.kill();
      assertThat(app.console()).as("the BMC password in the log").doesNotContain(RedfishSimulatorFleet.PASSWORD);
      // the machine finishes powering off while Lights-Out is down
      sleep(Duration.between(Instant.now(), forceOff.plusMillis(LAG_MS + 500)).toMillis());
    }
    fleet.normal(0);
    fleet.clearLogs();

    String[] samePort = Arrays.copyOf(args, args.length + 1);
    samePort[args.length] = "--server.port=" + port;
    try (AppProcess app = AppProcess.start(workDir, env, samePort).awaitHealthy(Duration.ofSeconds(300))) {
      Instant restarted = Instant.now();
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);

      JsonNode tasks = admin.get("/engine-rest/task?processDefinitionKey=queue-review").json();
      assertThat(tasks).as(tasks.toString()).hasSize(1);
      String taskId = tasks.get(0).get("id").asText();
      JsonNode variables = admin.get("/engine-rest/task/" + taskId + "/variables?deserializeValues=false").json();
      String summary = variables.get("reviewSummary").get("value").asText();
      assertThat(summary).contains("orchestrator outage from").contains("Node rf-busy: before ")
          .contains("now off (read ").doesNotContain("rf-idle");
      assertThat(variables.get("requestOptions").get("value").asText()).contains(cycle, on);

      JsonNode interrupted = admin.get("/api/v1/power-requests/" + cycle).json();
      assertThat(interrupted.get("status").asText()).isEqualTo("held");
      assertThat(interrupted.get("hold").get("kind").asText()).isEqualTo("outage");
      // read at the BMC over Redfish at the restart
      assertThat(interrupted.get("result").asText()).startsWith("interrupted: the BMC may or may not have received")
          .contains("current power state: off (read just now)");
      assertThat(admin.get("/api/v1/power-requests/" + on).json().get("status").asText()).isEqualTo("held");
      assertThat(admin.get("/api/v1/nodes/rf-idle").json().get("hold").isNull()).as("a node without work").isTrue();
      assertThat(fleet.log(0)).as("the restart opened a session to read the power state (GETs are not logged)")
          .anyMatch(line -> line.startsWith("session-create ") && line.endsWith(" 201"));

      sleep(QUIET.minus(Duration.between(restarted, Instant.now())).toMillis());
      assertThat(fleet.resets(0)).as("nothing sent to the held node before the review").isEmpty();
      assertThat(fleet.resets(1)).isEmpty();

      ApiClient.Response decided = admin.post("/engine-rest/task/" + taskId + "/complete", Map.of("variables", Map.of(
          "decision", Map.of("value", "resume-all"),
          "cancelNodes", Map.of("value", "[]", "type", "Json"),
          "cancelRequests", Map.of("value", "[]", "type", "Json"))));
      assertThat(decided.status()).as(decided.toString()).isEqualTo(204);

      JsonNode cycled = admin.awaitRequest(cycle, FINAL);
      JsonNode switchedOn = admin.awaitRequest(on, FINAL);
      assertThat(cycled.get("status").asText()).as(cycled.toString()).isEqualTo("succeeded");
      assertThat(switchedOn.get("status").asText()).as(switchedOn.toString()).isEqualTo("succeeded");
      assertThat(Instant.parse(switchedOn.get("finishedAt").asText()))
          .isAfter(Instant.parse(cycled.get("finishedAt").asText()));
      // the cycle's off was done while Lights-Out was down: after the review the machine is only switched on
      assertThat(fleet.resets(0)).as("what the BMC received after the review").containsExactly("On 204");
      assertThat(fleet.powerState(0)).isEqualTo(PowerState.ON);
      assertThat(fleet.resets(1)).isEmpty();
      assertThat(admin.get("/api/v1/holds").json().get("total").asInt()).isZero();
      app.stop();
      assertThat(app.console()).as("the BMC password in the log").doesNotContain(RedfishSimulatorFleet.PASSWORD);
    }
  }

  /** A node on simulated BMC {@code bmc}, on, trusting the simulator's certificate (checked at registration). */
  private void register(ApiClient admin, String id, int bmc) {
    fleet.setPower(bmc, true);
    ApiClient.Response created = admin.post("/api/v1/nodes", Map.of("id", id, "bmc", Map.of("driver", "redfish",
        "host", fleet.host(), "port", fleet.port(bmc), "username", RedfishSimulatorFleet.USER,
        "password", RedfishSimulatorFleet.PASSWORD, "options", Map.of("caCertificate", fleet.certificatePem()))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  private static String request(ApiClient admin, String node, String action) {
    ApiClient.Response accepted = admin.post("/api/v1/nodes/" + node + "/power-requests", Map.of("action", action));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return accepted.json().get("id").asText();
  }

  /** The cycle's ForceOff reached the BMC, whose machine is now powering off for {@link #LAG_MS}. */
  private Instant awaitForceOffAtTheBmc(ApiClient admin, String id) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      if (fleet.resets(0).contains("ForceOff 204")) {
        Instant seen = Instant.now();
        JsonNode request = admin.get("/api/v1/power-requests/" + id).json();
        assertThat(request.get("status").asText()).as(request.toString()).isEqualTo("running");
        return seen;
      }
      sleep(50);
    }
    throw new AssertionError("the cycle's ForceOff did not reach the BMC: " + fleet.log(0));
  }

  private static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
