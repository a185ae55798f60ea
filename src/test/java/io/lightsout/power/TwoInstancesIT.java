package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.bmc.PowerState;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engine instances in separate JVMs on one PostgreSQL database, started at the same moment on an
 * empty database, both accepting requests for the same nodes: each node still runs one request at a
 * time, in acceptance order (the row lock holds across instances, no JVM lock is involved), and both
 * instances carry out part of the work.
 */
class TwoInstancesIT {

  private static final int NODES = 10;
  private static final int PER_NODE = 4;
  private static final String ADMIN_PASSWORD = "cluster-admin-Pw7";

  @TempDir
  Path workDir;

  @Test
  void requestsOfOneNodeNeverOverlapAndRunInAcceptanceOrderAcrossInstances() throws Exception {
    String dbUrl = TestDatabase.createSeparate();
    Map<String, String> env = Map.of("LIGHTSOUT_DB_URL", dbUrl,
        "LIGHTSOUT_DB_USER", TestDatabase.USER, "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD,
        "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD, "LIGHTSOUT_SECRET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    String[] args = {"--lightsout.bmc.min-command-interval=0", "--lightsout.monitor.enabled=false",
        "--spring.datasource.hikari.maximum-pool-size=20"};
    try (BmcSimulatorFleet fleet = BmcSimulatorFleet.start(NODES);
         AppProcess first = AppProcess.start(workDir.resolve("a"), env, with(args, "--lightsout.instance-id=pair-a"));
         AppProcess second = AppProcess.start(workDir.resolve("b"), env, with(args, "--lightsout.instance-id=pair-b"))) {
      first.awaitHealthy(Duration.ofSeconds(300));
      second.awaitHealthy(Duration.ofSeconds(300));
      List<ApiClient> instances = List.of(first.as("admin", ADMIN_PASSWORD), second.as("admin", ADMIN_PASSWORD));
      for (int i = 0; i < NODES; i++) {
        fleet.setPower(i, false);
        assertThat(instances.get(0).post("/api/v1/nodes", Map.of("id", "pair-" + i, "bmc", Map.of("driver", "ipmi",
            "host", fleet.host(), "port", fleet.port(i), "username", "admin", "password", fleet.password())))
            .status()).isEqualTo(201);
      }
      ExecutorService clients = Executors.newFixedThreadPool(4);
      List<Future<String>> accepted = new ArrayList<>();
      for (int r = 0; r < PER_NODE; r++) {
        for (int i = 0; i < NODES; i++) {
          ApiClient via = instances.get((r + i) % 2);
          String node = "pair-" + i;
          String action = r % 2 == 0 ? "on" : "off";
          accepted.add(clients.submit(() -> {
            ApiClient.Response answer = via.post("/api/v1/nodes/" + node + "/power-requests", Map.of("action", action));
            assertThat(answer.status()).as(answer.toString()).isIn(202);
            return answer.json().get("id").asText();
          }));
        }
      }
      for (Future<String> f : accepted) {
        awaitFinal(instances.get(0), f.get());
      }
      clients.shutdown();

      for (int i = 0; i < NODES; i++) {
        List<JsonNode> story = new ArrayList<>();
        instances.get(1).get("/api/v1/nodes/pair-" + i + "/history?size=100").json().get("items").forEach(story::add);
        Collections.reverse(story);
        assertThat(story).hasSize(PER_NODE);
        List<String> expected = new ArrayList<>();
        boolean on = false;
        Instant previousEnd = Instant.EPOCH;
        for (JsonNode request : story) {
          assertThat(request.get("status").asText()).as(request.toString()).isIn("succeeded", "merged");
          if (request.get("status").asText().equals("merged")) {
            continue;
          }
          Instant started = Instant.parse(request.get("startedAt").asText());
          assertThat(started).as("requests of pair-" + i + " never overlap").isAfterOrEqualTo(previousEnd);
          previousEnd = Instant.parse(request.get("finishedAt").asText());
          boolean wantOn = request.get("action").asText().equals("on");
          if (wantOn != on) {
            expected.add(wantOn ? "set power 1" : "set power 0");
          }
          on = wantOn;
        }
        assertThat(fleet.commands(i)).as("what the BMC of pair-" + i + " saw, in acceptance order").isEqualTo(expected);
        assertThat(fleet.sessionLog(i).peakInUse()).as("sessions the BMC of pair-" + i + " had in use at once").isEqualTo(1);
        assertThat(fleet.powerState(i)).isEqualTo(on ? PowerState.ON : PowerState.OFF);
      }
      assertThat(executedBy(dbUrl)).as("instances that carried out requests").containsOnlyKeys("pair-a", "pair-b");
      first.stop();
      second.stop();
    }
  }

  private static String[] with(String[] args, String more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }

  /** Succeeded requests per instance that made their last BMC attempt, from the queue table. */
  private static Map<String, Integer> executedBy(String dbUrl) throws SQLException {
    Map<String, Integer> counts = new java.util.HashMap<>();
    try (Connection db = DriverManager.getConnection(dbUrl, TestDatabase.USER, TestDatabase.PASSWORD);
         Statement statement = db.createStatement();
         ResultSet rows = statement.executeQuery("SELECT owner_instance, COUNT(*) FROM lo_power_request "
             + "WHERE status = 'succeeded' GROUP BY owner_instance")) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
    }
    return counts;
  }

  private static void awaitFinal(ApiClient api, String id) {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      String status = api.get("/api/v1/power-requests/" + id).json().get("status").asText();
      if (List.of("succeeded", "failed", "merged", "cancelled", "superseded").contains(status)) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("request " + id + " not final");
  }
}
