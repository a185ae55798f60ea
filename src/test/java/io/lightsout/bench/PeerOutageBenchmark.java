package io.lightsout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 11: the time from {@code kill -9} of an instance to its peer's hold of the dead instance's
 * nodes, with the default heartbeat (every 10 s, expiry 30 s). One survivor runs throughout; each run
 * starts a victim under a new id, lets it take requests to BMCs that do not answer (frozen
 * {@code ipmi_sim}), kills it, and reads the hold's time from the survivor. Prints each run and the median.
 * System properties: {@code bench.runs} (default 5), {@code lightsout.jar}.
 */
public final class PeerOutageBenchmark {

  private static final int NODES = 4;
  private static final String PASSWORD = "bench-peer-Pw5";
  private static final Duration HEALTHY = Duration.ofSeconds(300);

  private PeerOutageBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.getInteger("bench.runs", 5);
    String db = TestDatabase.createSeparate();
    Map<String, String> env = Map.of("LIGHTSOUT_DB_URL", db, "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD, "LIGHTSOUT_ADMIN_PASSWORD", PASSWORD,
        "LIGHTSOUT_SECRET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    Path work = Files.createTempDirectory("peer-outage-bench");
    List<Long> millis = new ArrayList<>();
    try (BmcSimulatorFleet fleet = BmcSimulatorFleet.start(NODES, false);
         AppProcess survivor = AppProcess.start(work.resolve("survivor"), env, appArgs("survivor")).awaitHealthy(HEALTHY)) {
      ApiClient viaSurvivor = survivor.as("admin", PASSWORD);
      for (int i = 0; i < NODES; i++) {
        viaSurvivor.post("/api/v1/nodes", Map.of("id", "node-" + i, "bmc", Map.of("driver", "ipmi", "host",
            fleet.host(), "port", fleet.port(i), "username", "admin", "password", fleet.password())));
      }
      for (int run = 1; run <= runs; run++) {
        String victimId = "victim-" + run;
        for (int i = 0; i < NODES; i++) {
          fleet.freeze(i);
        }
        Instant killed;
        try (AppProcess victim = AppProcess.start(work.resolve(victimId), env, appArgs(victimId)).awaitHealthy(HEALTHY)) {
          ApiClient viaVictim = victim.as("admin", PASSWORD);
          for (int i = 0; i < NODES; i++) {
            viaVictim.post("/api/v1/nodes/node-" + i + "/power-requests", Map.of("action", run % 2 == 1 ? "on" : "off"));
          }
          await(Duration.ofSeconds(60), () -> count(db, "SELECT COUNT(*) FROM lo_power_request WHERE status = 'running' "
              + "AND attempts > 0 AND owner_instance = '" + victimId + "'") > 0);
          victim.kill();
          killed = Instant.now();
        }
        for (int i = 0; i < NODES; i++) {
          fleet.kill(i);
          fleet.normal(i);
        }
        JsonNode[] outageHold = new JsonNode[1];
        await(Duration.ofSeconds(120), () -> {
          for (JsonNode node : viaSurvivor.get("/api/v1/holds").json().get("items")) {
            if (node.get("hold").get("kind").asText().equals("outage")) {
              outageHold[0] = node;
              return true;
            }
          }
          return false;
        });
        long ms = Duration.between(killed, Instant.parse(outageHold[0].get("hold").get("since").asText())).toMillis();
        millis.add(ms);
        System.out.println("run " + run + ": kill -9 -> hold " + ms + " ms");
        await(Duration.ofSeconds(60), () -> viaSurvivor.get("/engine-rest/task?processDefinitionKey=queue-review").json()
            .size() > 0);
        for (JsonNode task : viaSurvivor.get("/engine-rest/task?processDefinitionKey=queue-review").json()) {
          viaSurvivor.post("/engine-rest/task/" + task.get("id").asText() + "/complete", Map.of("variables", Map.of(
              "decision", Map.of("value", "cancel-all"), "cancelNodes", Map.of("value", "[]", "type", "Json"),
              "cancelRequests", Map.of("value", "[]", "type", "Json"))));
        }
        await(Duration.ofSeconds(120), () -> count(db,
            "SELECT COUNT(*) FROM lo_power_request WHERE status IN ('queued', 'running', 'held')") == 0);
        for (int i = 0; i < NODES; i++) {
          viaSurvivor.post("/api/v1/nodes/node-" + i + "/resume", Map.of());
        }
      }
      survivor.stop();
    }
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.println("kill -9 -> hold, " + runs + " runs (ms): " + millis + "; median " + sorted.get(sorted.size() / 2));
  }

  private static String[] appArgs(String id) {
    return new String[] {"--lightsout.instance-id=" + id, "--lightsout.bmc.ipmi.timeout=2s",
        "--lightsout.monitor.enabled=false", "--spring.datasource.hikari.maximum-pool-size=20"};
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Duration timeout, Condition condition) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.holds()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("not within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static long count(String db, String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(db, TestDatabase.USER, TestDatabase.PASSWORD);
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
