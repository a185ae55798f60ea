package io.lightsout.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several Lights-Out instances on one PostgreSQL, each in its own JVM, against real BMC simulators:
 * when one is killed with SIGKILL, whatever it had taken to a BMC is held for review, whether a peer
 * notices its heartbeat expire or a new instance (another id: another port, another container) comes up.
 */
class PeerOutageIT {

  private static final String ADMIN_PASSWORD = "peer-admin-Pw3";
  private static final Duration HEALTHY = Duration.ofSeconds(300);

  @TempDir
  Path workDir;

  private BmcSimulatorFleet fleet;
  private String dbUrl;
  private Map<String, String> env;
  private final List<AppProcess> launched = new ArrayList<>();

  @BeforeEach
  void setUp() {
    dbUrl = TestDatabase.createSeparate();
    env = Map.of("LIGHTSOUT_DB_URL", dbUrl, "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD, "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "LIGHTSOUT_SECRET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  }

  @AfterEach
  void tearDown() {
    launched.forEach(AppProcess::close);
    if (fleet != null) {
      fleet.close();
    }
  }

  /**
   * The defect of issue 11: killed while its requests retried a BMC timeout, an instance came back
   * under another id before its heartbeat expired, and the new one ran the dead one's retries at once.
   * So that the new instance surely comes up within the expiry on a busy machine, its JVM is launched
   * before the kill and waits at the start-up lock (held here) until the old one is dead: it touches
   * the database only after the kill.
   */
  @Test
  void aNewInstanceSendsNothingForADeadInstancesRequestsBeforeTheirReview() throws SQLException {
    int nodes = 6;
    fleet = BmcSimulatorFleet.start(nodes);
    List<String> requestIds = new ArrayList<>();
    Map<Integer, Integer> eventsAtKill;
    AppProcess second;
    try (AppProcess first = start("first", "60s")) {
      ApiClient api = first.as("admin", ADMIN_PASSWORD);
      for (int i = 0; i < nodes; i++) {
        fleet.setPower(i, false);
        fleet.kill(i);
        addNode(api, i, false);
        requestIds.add(post(api, "node-" + i, "on"));
      }
      await("every request waiting to retry its BMC's timeout", Duration.ofSeconds(90), () -> requestIds.stream()
          .allMatch(id -> api.get("/api/v1/power-requests/" + id).json().get("attempts").asInt() >= 2)
          && count("SELECT COUNT(*) FROM act_ru_job WHERE lock_owner_ IS NOT NULL") == 0);
      try (Connection startupLock = DriverManager.getConnection(dbUrl, TestDatabase.USER, TestDatabase.PASSWORD);
           Statement statement = startupLock.createStatement()) {
        statement.execute("SELECT pg_advisory_lock(" + StartupLock.KEY + ")");
        second = launch("second", "60s");
        await("the new instance at the start-up lock", HEALTHY,
            () -> second.console().contains("Another instance is starting"));
        // killed between two attempts: no job locked by the dead instance, so its retries come due for the new
        // instance well before the heartbeat expires (the longest backoff is 30 s), and the new instance must refuse
        await("a moment between two attempts", Duration.ofSeconds(90), () -> count("SELECT COUNT(*) FROM act_ru_job "
            + "WHERE process_def_key_ = 'power-change' AND (lock_owner_ IS NOT NULL "
            + "OR duedate_ < LOCALTIMESTAMP + INTERVAL '1500 milliseconds')") == 0);
        first.kill();
        for (int i = 0; i < nodes; i++) {
          fleet.normal(i);
        }
        eventsAtKill = eventCounts(nodes);
      }
    }

    try (second) {
      second.awaitHealthy(HEALTHY);
      ApiClient api = second.as("admin", ADMIN_PASSWORD);
      await("the review of the dead instance's queues", Duration.ofSeconds(90),
          () -> api.get("/engine-rest/task?processDefinitionKey=queue-review").json().size() > 0);
      assertThat(eventCounts(nodes)).as("commands the BMCs received between the kill and the review")
          .isEqualTo(eventsAtKill);
      assertThat(second.console()).as("the new instance found the dead one's requests and waited")
          .contains("is not known alive").contains("instance first");
      JsonNode tasks = api.get("/engine-rest/task?processDefinitionKey=queue-review").json();
      assertThat(tasks).hasSize(1);
      for (String id : requestIds) {
        JsonNode request = api.get("/api/v1/power-requests/" + id).json();
        assertThat(request.get("status").asText()).as(request.toString()).isEqualTo("held");
        assertThat(request.get("result").asText()).startsWith("interrupted");
      }

      completeReview(api, tasks.get(0).get("id").asText());
      for (String id : requestIds) {
        assertThat(awaitFinal(api, id).get("status").asText()).isEqualTo("succeeded");
      }
      for (int i = 0; i < nodes; i++) {
        assertThat(fleet.commands(i)).as("BMC " + i + " after the operator resumed").containsExactly("set power 1");
      }
      second.stop();
    }
  }

  /**
   * Two instances (started at the same moment on an empty database), one killed with SIGKILL while
   * it has requests at BMCs that do not answer: the survivor holds exactly the nodes the dead one had
   * taken to a BMC once its heartbeat expires, opens one review, and keeps working on the other nodes
   * meanwhile. Any call works through any instance: what the dead one accepted is seen, cancelled
   * and reviewed through the survivor.
   */
  @Test
  void aPeerHoldsExactlyTheDeadInstancesNodesOpensOneReviewAndKeepsWorking() {
    int nodes = 8;
    fleet = BmcSimulatorFleet.start(nodes);
    AppProcess a = launch("peer-a", "15s");
    AppProcess b = launch("peer-b", "15s");
    a.awaitHealthy(HEALTHY);
    b.awaitHealthy(HEALTHY);
    ApiClient viaA = a.as("admin", ADMIN_PASSWORD);
    ApiClient viaB = b.as("admin", ADMIN_PASSWORD);
    Map<String, String> firstRequest = new HashMap<>();
    for (int i = 0; i < nodes; i++) {
      fleet.setPower(i, false);
      addNode(i < 4 ? viaA : viaB, i, true);
    }
    for (int i = 0; i < 4; i++) {
      fleet.freeze(i);
      firstRequest.put("node-" + i, post(viaA, "node-" + i, "on"));
    }
    String queuedOnA = post(viaA, "node-0", "off");
    assertThat(viaB.get("/api/v1/power-requests/" + queuedOnA).json().get("status").asText()).isEqualTo("queued");
    assertThat(viaB.delete("/api/v1/power-requests/" + queuedOnA).status()).isEqualTo(200);
    assertThat(viaA.get("/api/v1/power-requests/" + queuedOnA).json().get("status").asText()).isEqualTo("cancelled");
    await("requests at BMCs that do not answer", Duration.ofSeconds(60), () -> firstRequest.values().stream()
        .allMatch(id -> viaB.get("/api/v1/power-requests/" + id).json().get("attempts").asInt() >= 1));

    a.kill();
    Instant killed = Instant.now();
    Set<String> inFlightOnA = nodesRunningOn("peer-a");
    for (int i = 0; i < 4; i++) {
      fleet.kill(i);
      fleet.normal(i);
    }
    Map<Integer, Integer> eventsAtKill = eventCounts(nodes);
    Map<String, List<String>> laterWork = new HashMap<>();
    for (int round = 0; round < 8; round++) {
      for (int i = 4; i < nodes; i++) {
        laterWork.computeIfAbsent("node-" + i, n -> new ArrayList<>()).add(post(viaB, "node-" + i, round % 2 == 0 ? "on" : "off"));
      }
    }
    // the survivor holds the nodes one by one (each reads its BMC), then opens the review: wait for the review
    await("the survivor's review of the dead instance's nodes", Duration.ofSeconds(90),
        () -> viaB.get("/engine-rest/task?processDefinitionKey=queue-review").json().size() > 0);
    Instant heldAt = Instant.now();
    JsonNode holds = viaB.get("/api/v1/holds").json();
    Set<String> held = new TreeSet<>();
    holds.get("items").forEach(node -> held.add(node.get("id").asText()));
    Instant holdSince = Instant.parse(holds.get("items").get(0).get("hold").get("since").asText());
    System.out.println("kill -9 -> hold: " + Duration.between(killed, holdSince).toMillis() + " ms (expiry 15 s)");

    assertThat(inFlightOnA).as("nodes the dead instance had taken to a BMC").isNotEmpty();
    assertThat(held).as("held nodes").isEqualTo(inFlightOnA);
    for (String node : held) {
      int bmc = bmcOf(node);
      assertThat(fleet.events(bmc)).as("BMC of " + node + " between the kill and the hold").hasSize(eventsAtKill.get(bmc));
    }
    long workMeanwhile = 0;
    for (int i = 4; i < nodes; i++) {
      workMeanwhile += fleet.events(i).stream()
          .filter(e -> e.epochMillis() > killed.toEpochMilli() && e.epochMillis() < heldAt.toEpochMilli()).count();
    }
    assertThat(workMeanwhile).as("commands to the other nodes' BMCs between the kill and the hold").isPositive();
    JsonNode tasks = viaB.get("/engine-rest/task?processDefinitionKey=queue-review").json();
    assertThat(tasks).as("one review").hasSize(1);

    completeReview(viaB, tasks.get(0).get("id").asText());
    firstRequest.values().forEach(id -> assertThat(awaitFinal(viaB, id).get("status").asText()).isEqualTo("succeeded"));
    for (int i = 0; i < 4; i++) {
      assertThat(fleet.commands(i)).as("BMC " + i).containsExactly("set power 1");
    }
    for (int i = 4; i < nodes; i++) {
      laterWork.get("node-" + i).forEach(id -> assertThat(awaitFinal(viaB, id).get("status").asText()).isEqualTo("succeeded"));
      List<String> expected = new ArrayList<>();
      for (int round = 0; round < 8; round++) {
        expected.add(round % 2 == 0 ? "set power 1" : "set power 0");
      }
      assertThat(fleet.commands(i)).as("BMC " + i + ", in acceptance order").isEqualTo(expected);
    }
    b.stop();
  }

  private static int bmcOf(String node) {
    return Integer.parseInt(node.substring("node-".length()));
  }

  private AppProcess start(String id, String expiry, String... more) {
    return launch(id, expiry, more).awaitHealthy(HEALTHY);
  }

  private AppProcess launch(String id, String expiry, String... more) {
    List<String> args = new ArrayList<>(List.of("--lightsout.instance-id=" + id, "--lightsout.bmc.ipmi.timeout=2s",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.monitor.enabled=false",
        "--lightsout.power.max-attempts=6", "--lightsout.heartbeat.interval=2s", "--lightsout.heartbeat.expiry=" + expiry,
        "--spring.datasource.hikari.maximum-pool-size=20"));
    args.addAll(List.of(more));
    AppProcess app = AppProcess.start(workDir.resolve(id), env, args.toArray(String[]::new));
    launched.add(app);
    return app;
  }

  /** Without {@code check}, for a BMC killed before its node is registered. */
  private void addNode(ApiClient api, int i, boolean check) {
    ApiClient.Response added = api.post("/api/v1/nodes?check=" + check, Map.of("id", "node-" + i, "bmc", Map.of("driver", "ipmi",
        "host", fleet.host(), "port", fleet.port(i), "username", "admin", "password", fleet.password())));
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
  }

  private static String post(ApiClient api, String node, String action) {
    ApiClient.Response answer = api.post("/api/v1/nodes/" + node + "/power-requests", Map.of("action", action));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    return answer.json().get("id").asText();
  }

  private static void completeReview(ApiClient api, String taskId) {
    ApiClient.Response completed = api.post("/engine-rest/task/" + taskId + "/complete", Map.of("variables", Map.of(
        "decision", Map.of("value", "resume-all"),
        "cancelNodes", Map.of("value", "[]", "type", "Json"),
        "cancelRequests", Map.of("value", "[]", "type", "Json"))));
    assertThat(completed.status()).as(completed.toString()).isEqualTo(204);
  }

  private Map<Integer, Integer> eventCounts(int nodes) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < nodes; i++) {
      counts.put(i, fleet.events(i).size());
    }
    return counts;
  }

  private long count(String sql) {
    try (Connection db = DriverManager.getConnection(dbUrl, TestDatabase.USER, TestDatabase.PASSWORD);
         Statement statement = db.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Nodes whose running request the instance owns, read from the queue table. */
  private Set<String> nodesRunningOn(String instance) {
    Set<String> result = new TreeSet<>();
    try (Connection db = DriverManager.getConnection(dbUrl, TestDatabase.USER, TestDatabase.PASSWORD);
         Statement statement = db.createStatement();
         ResultSet rows = statement.executeQuery("SELECT node_id FROM lo_power_request WHERE status = 'running' "
             + "AND attempts > 0 AND owner_instance = '" + instance + "'")) {
      while (rows.next()) {
        result.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return result;
  }

  private static JsonNode awaitFinal(ApiClient api, String id) {
    JsonNode[] last = new JsonNode[1];
    await("request " + id + " final", Duration.ofSeconds(120), () -> {
      last[0] = api.get("/api/v1/power-requests/" + id).json();
      return List.of("succeeded", "failed", "cancelled", "merged", "superseded").contains(last[0].get("status").asText());
    });
    return last[0];
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      sleep(200);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
