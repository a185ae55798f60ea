package io.lightsout.evacuation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.Evacuations;
import io.lightsout.testing.RebuildReceiver;
import io.lightsout.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lights-Out in its own JVM on PostgreSQL, killed with SIGKILL in the middle of an evacuation (some
 * instances rebuilt, some rebuilds in flight at a slow webhook), then restarted: the evacuation completes,
 * every instance is placed once, and a repeated rebuild call carries the same key and the same target.
 */
class EvacuationOutageIT {

  private static final String ADMIN_PASSWORD = "evac-outage-Pw7";
  private static final int INSTANCES = 12;

  @TempDir
  Path workDir;

  private RebuildReceiver webhook;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    webhook = RebuildReceiver.start();
    webhook.delay(Duration.ofMillis(1500));
    env = Map.of(
        "LIGHTSOUT_DB_URL", TestDatabase.createSeparate(),
        "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD,
        "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD);
  }

  @AfterEach
  void tearDown() {
    webhook.close();
  }

  @Test
  void anEvacuationKilledMidwayCompletesAfterRestartWithEachInstancePlacedOnce() throws Exception {
    String evacuationId;
    int port;
    try (AppProcess app = AppProcess.start(workDir, env, args(0)).awaitHealthy(Duration.ofSeconds(300))) {
      port = app.port();
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      for (String host : List.of("dead", "spare-a", "spare-b")) {
        assertThat(admin.post("/api/v1/nodes", Map.of("id", "node-" + host, "bmc", Map.of("driver", "sim",
            "host", "sim-" + host, "username", "admin", "password", "sim-pw"))).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/hosts", Map.of("id", host, "node", "node-" + host,
            "capacity", host.equals("dead") ? 0 : 8)).status()).isEqualTo(201);
      }
      for (int i = 0; i < INSTANCES; i++) {
        assertThat(admin.post("/api/v1/instances", Map.of("id", "vm" + i, "host", "dead")).status()).isEqualTo(201);
      }
      ApiClient.Response started = admin.post("/api/v1/hosts/dead/evacuations", Map.of("reason", "kill test"));
      assertThat(started.status()).isEqualTo(202);
      evacuationId = started.json().get("id").asText();
      awaitCalls(4);
      app.kill();
    }
    int callsAtKill = webhook.callsOf(evacuationId).size();
    assertThat(callsAtKill).as("rebuilds in flight at the kill").isLessThan(INSTANCES);

    try (AppProcess app = AppProcess.start(workDir, env, args(port)).awaitHealthy(Duration.ofSeconds(300))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      JsonNode done = Evacuations.awaitStatus(admin, evacuationId, "succeeded", Duration.ofSeconds(180));

      Set<String> spares = Set.of("spare-a", "spare-b");
      for (JsonNode instance : done.get("instances")) {
        assertThat(instance.get("state").asText()).isEqualTo("placed");
        String id = instance.get("id").asText();
        JsonNode read = admin.get("/api/v1/instances/" + id).json();
        assertThat(spares).contains(read.get("host").asText());
        assertThat(read.get("host").asText()).isEqualTo(instance.get("target").asText());
        List<RebuildReceiver.Call> calls = webhook.callsOf(evacuationId).stream()
            .filter(c -> c.instanceId().equals(id)).toList();
        assertThat(calls).as("calls for " + id).isNotEmpty();
        assertThat(calls.stream().map(RebuildReceiver.Call::idempotencyKey).collect(Collectors.toSet()))
            .containsExactly(evacuationId + "/" + id);
        assertThat(calls.stream().map(RebuildReceiver.Call::toHost).collect(Collectors.toSet()))
            .containsExactly(read.get("host").asText());
      }
      assertThat(done.get("instances")).hasSize(INSTANCES);
      for (String spare : spares) {
        assertThat(admin.get("/api/v1/instances?host=" + spare).json().get("total").asInt()).isLessThanOrEqualTo(8);
      }
      assertThat(admin.get("/api/v1/instances?host=dead").json().get("total").asInt()).isZero();
      assertThat(webhook.callsOf(evacuationId).size()).isGreaterThanOrEqualTo(INSTANCES);
      assertThat(admin.get("/api/v1/nodes/node-dead").json().get("hold").get("kind").asText()).isEqualTo("evacuation");
    }
  }

  private String[] args(int port) {
    List<String> args = new ArrayList<>(List.of("--lightsout.instance-id=evacuation-outage-test",
        "--lightsout.monitor.enabled=false", "--lightsout.evacuation.max-parallel=4",
        "--lightsout.evacuation.verify-interval=PT0.5S",
        "--lightsout.compute.inventory.rebuild-webhook=" + webhook.url(),
        "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")));
    if (port > 0) {
      args.add("--server.port=" + port);
    }
    return args.toArray(String[]::new);
  }

  private void awaitCalls(int n) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (webhook.calls().size() < n && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(webhook.calls().size()).as("rebuild calls before the kill").isGreaterThanOrEqualTo(n);
  }

}
