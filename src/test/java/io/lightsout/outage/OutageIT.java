package io.lightsout.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lights-Out in its own JVM on PostgreSQL, killed with SIGKILL while 20 nodes have running and
 * queued requests against real BMC simulators, then restarted: it must hold, show and ask.
 */
class OutageIT {

  private static final int NODES = 20;
  private static final String ADMIN_PASSWORD = "outage-admin-Pw9";

  @TempDir
  Path workDir;

  private BmcSimulatorFleet fleet;
  private Map<String, String> env;
  private String[] args;

  @BeforeEach
  void setUp() {
    fleet = BmcSimulatorFleet.start(NODES);
    env = Map.of(
        "LIGHTSOUT_DB_URL", TestDatabase.createSeparate(),
        "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD,
        "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD);
    args = new String[] {"--lightsout.instance-id=outage-test", "--lightsout.bmc.ipmi.timeout=5s",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.monitor.enabled=false",
        "--lightsout.power.max-attempts=10", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")};
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  @Test
  void afterSigkillTheQueuesAreHeldNothingIsSentAndTheOperatorDecides() throws Exception {
    int port;
    Map<String, List<String>> requestsByNode = new LinkedHashMap<>();
    try (AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(300))) {
      port = app.port();
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      submitThreePerNode(admin, requestsByNode);
      awaitRequestsAtTheBmc(admin, requestsByNode);
      app.kill();
      assertThat(app.console()).as("the BMC password in the log").doesNotContain(fleet.password());
    }
    sleep(4000);
    allBmcsNormal();
    Map<Integer, Integer> eventsAtRestart = eventCounts();

    try (AppProcess app = AppProcess.start(workDir, env, withPort(port)).awaitHealthy(Duration.ofSeconds(300))) {
      Instant restarted = Instant.now();
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);

      JsonNode tasks = admin.get("/engine-rest/task?processDefinitionKey=queue-review").json();
      assertThat(tasks).hasSize(1);
      String taskId = tasks.get(0).get("id").asText();
      JsonNode variables = admin.get("/engine-rest/task/" + taskId + "/variables?deserializeValues=false").json();
      String summary = variables.get("reviewSummary").get("value").asText();
      String requestOptions = variables.get("requestOptions").get("value").asText();
      assertThat(summary).contains("orchestrator outage from").contains("outage-test");

      Map<String, List<String>> openByNode = new LinkedHashMap<>();
      for (String node : requestsByNode.keySet()) {
        List<String> open = new ArrayList<>();
        admin.get("/api/v1/nodes/" + node + "/queue").json().get("items").forEach(r -> {
          open.add(r.get("id").asText());
          assertThat(r.get("status").asText()).as("every open request waits behind the hold: " + r).isEqualTo("held");
          assertThat(r.get("hold").get("kind").asText()).isEqualTo("outage");
          if (r.hasNonNull("result")) { // the one that ran when the instance died
            assertThat(r.get("result").asText()).startsWith("interrupted: the BMC may or may not have received")
                .contains("current power state:");
          }
        });
        JsonNode view = admin.get("/api/v1/nodes/" + node).json();
        if (open.isEmpty()) {
          assertThat(summary).doesNotContain("Node " + node + ":");
          assertThat(view.get("hold").isNull()).isTrue();
        } else {
          openByNode.put(node, open);
          assertThat(summary).contains("Node " + node + ":");
          assertThat(view.get("hold").get("kind").asText()).isEqualTo("outage");
          open.forEach(id -> assertThat(requestOptions).contains(id));
        }
      }
      assertThat(openByNode).as("nodes whose queues were cut by the kill").hasSizeGreaterThanOrEqualTo(5);
      assertThat(requestOptions.split("\"value\"").length - 1).as("every waiting request is in the form, once")
          .isEqualTo(openByNode.values().stream().mapToInt(List::size).sum());

      long quiet = Duration.ofSeconds(30).minus(Duration.between(restarted, Instant.now())).toMillis();
      sleep(Math.max(0, quiet));
      assertThat(eventCounts()).as("no BMC received a command in the first 30 s").isEqualTo(eventsAtRestart);

      String cancelledNode = openByNode.keySet().iterator().next();
      ApiClient.Response completed = admin.post("/engine-rest/task/" + taskId + "/complete", Map.of("variables", Map.of(
          "decision", Map.of("value", "per-request"),
          "cancelNodes", Map.of("value", "[\"" + cancelledNode + "\"]", "type", "Json"),
          "cancelRequests", Map.of("value", "[]", "type", "Json"))));
      assertThat(completed.status()).as(completed.toString()).isEqualTo(204);

      for (Map.Entry<String, List<String>> node : requestsByNode.entrySet()) {
        Instant previousFinish = Instant.EPOCH;
        for (String id : node.getValue()) {
          JsonNode request = awaitFinal(admin, id);
          boolean cancelled = node.getKey().equals(cancelledNode) && openByNode.get(cancelledNode).contains(id);
          assertThat(request.get("status").asText()).as(request.toString()).isEqualTo(cancelled ? "cancelled" : "succeeded");
          if (cancelled) {
            assertThat(request.get("result").asText()).contains("admin in review");
          } else {
            Instant finished = Instant.parse(request.get("finishedAt").asText());
            assertThat(finished).as("original order on " + node.getKey()).isAfter(previousFinish);
            previousFinish = finished;
          }
        }
      }
      int cancelledBmc = bmcOf(cancelledNode);
      assertThat(fleet.events(cancelledBmc)).as("the cancelled node's BMC saw nothing more")
          .hasSize(eventsAtRestart.get(cancelledBmc));
      for (String node : openByNode.keySet()) {
        if (!node.equals(cancelledNode)) {
          assertThat(fleet.powerState(bmcOf(node))).as("node " + node + " ends on, as its last request said")
              .isEqualTo(io.lightsout.bmc.PowerState.ON);
        }
      }
      JsonNode decidedBy = admin.get("/engine-rest/history/variable-instance?variableName=decidedBy").json();
      assertThat(decidedBy).hasSize(1);
      assertThat(decidedBy.get(0).get("value").asText()).isEqualTo("admin");
      assertThat(admin.get("/api/v1/holds").json().get("total").asInt()).isZero();
      app.stop();
      assertThat(app.console()).as("the BMC password in the log").doesNotContain(fleet.password());
    }
  }

  @Test
  void afterACleanShutdownNothingIsHeldAndQueuedWorkContinues() {
    int port;
    Map<String, List<String>> requestsByNode = new LinkedHashMap<>();
    try (AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(300))) {
      port = app.port();
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      submitThreePerNode(admin, requestsByNode);
      allBmcsNormal();
      app.stop();
      assertThat(app.console()).as("the BMC password in the log").doesNotContain(fleet.password());
    }
    try (AppProcess app = AppProcess.start(workDir, env, withPort(port)).awaitHealthy(Duration.ofSeconds(300))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      assertThat(admin.get("/engine-rest/task?processDefinitionKey=queue-review").json()).isEmpty();
      assertThat(admin.get("/api/v1/holds").json().get("total").asInt()).isZero();
      requestsByNode.values().stream().flatMap(List::stream).forEach(id ->
          assertThat(awaitFinal(admin, id).get("status").asText()).isEqualTo("succeeded"));
      app.stop();
      assertThat(app.console()).as("the BMC password in the log").doesNotContain(fleet.password());
    }
  }

  private void submitThreePerNode(ApiClient admin, Map<String, List<String>> requestsByNode) {
    for (int i = 0; i < NODES; i++) {
      String node = "outage-" + i;
      fleet.setPower(i, false);
      fleet.slow(i, 2);
      // each BMC was just made slow (2 s per chassis call): the registration does not wait for it to answer
      assertThat(admin.post("/api/v1/nodes?check=false", Map.of("id", node, "bmc", Map.of("driver", "ipmi", "host", fleet.host(),
          "port", fleet.port(i), "username", "admin", "password", fleet.password()))).status()).isEqualTo(201);
      List<String> ids = new ArrayList<>();
      for (String action : List.of("on", "off", "on")) {
        ApiClient.Response answer = admin.post("/api/v1/nodes/" + node + "/power-requests",
            Map.of("action", action, "reason", "outage test"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        ids.add(answer.json().get("id").asText());
      }
      requestsByNode.put(node, ids);
    }
  }

  private void allBmcsNormal() {
    for (int i = 0; i < NODES; i++) {
      fleet.normal(i);
    }
  }

  /** Several nodes have a request running at their (slow) BMC right now. */
  private void awaitRequestsAtTheBmc(ApiClient admin, Map<String, List<String>> requestsByNode) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      long atBmc = requestsByNode.values().stream().flatMap(List::stream).filter(id -> {
        JsonNode request = admin.get("/api/v1/power-requests/" + id).json();
        return request.get("status").asText().equals("running") && request.get("attempts").asInt() > 0;
      }).count();
      if (atBmc >= 5) {
        return;
      }
      sleep(100);
    }
    throw new AssertionError("requests did not reach their BMCs");
  }

  private JsonNode awaitFinal(ApiClient admin, String id) {
    Instant deadline = Instant.now().plusSeconds(120);
    JsonNode request = null;
    while (Instant.now().isBefore(deadline)) {
      request = admin.get("/api/v1/power-requests/" + id).json();
      if (List.of("succeeded", "failed", "cancelled", "merged", "superseded").contains(request.get("status").asText())) {
        return request;
      }
      sleep(250);
    }
    throw new AssertionError("request " + id + " not final: " + request);
  }

  private Map<Integer, Integer> eventCounts() {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < NODES; i++) {
      counts.put(i, fleet.events(i).size());
    }
    return counts;
  }

  private static int bmcOf(String node) {
    return Integer.parseInt(node.substring("outage-".length()));
  }

  private String[] withPort(int port) {
    String[] withPort = java.util.Arrays.copyOf(args, args.length + 1);
    withPort[args.length] = "--server.port=" + port;
    return withPort;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
