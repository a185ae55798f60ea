package io.lightsout.evacuation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.Evacuations;
import io.lightsout.testing.NovaKeystoneServer;
import io.lightsout.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An evacuation through the whole product with the {@code nova} compute driver, in its own JVM on PostgreSQL,
 * against the project's Nova and Keystone server: the host is fenced, forced down and disabled in Nova before
 * the first evacuate, each server is evacuated once and ends on another host, and Nova's password stays out
 * of the log.
 */
class EvacuationNovaIT {

  private static final String ADMIN_PASSWORD = "evac-nova-Pw3";
  private static final String NOVA_PASSWORD = "nova-keystone-secret-81";

  @TempDir
  Path workDir;

  @Test
  void aNovaHostIsFencedForcedDownAndEachServerEvacuatedOnce() throws Exception {
    try (NovaKeystoneServer nova = NovaKeystoneServer.start(NOVA_PASSWORD)) {
      nova.evacuationDelay(Duration.ofMillis(500));
      for (String host : List.of("cmp-dead", "cmp-a", "cmp-b")) {
        nova.addComputeHost(host);
      }
      for (int i = 0; i < 5; i++) {
        nova.addServer("00000000-0000-4000-8000-00000000000" + i, "cmp-dead", "active");
      }
      Map<String, String> env = Map.of(
          "LIGHTSOUT_DB_URL", TestDatabase.createSeparate(),
          "LIGHTSOUT_DB_USER", TestDatabase.USER,
          "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD,
          "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD,
          "LIGHTSOUT_COMPUTE_NOVA_PASSWORD", NOVA_PASSWORD);
      try (AppProcess app = AppProcess.start(workDir, env, "--lightsout.instance-id=evacuation-nova-test",
          "--lightsout.monitor.enabled=false", "--lightsout.evacuation.verify-interval=PT0.5S",
          "--lightsout.compute.driver=nova", "--lightsout.compute.nova.auth-url=" + nova.authUrl(),
          "--lightsout.compute.nova.username=" + NovaKeystoneServer.USER,
          "--lightsout.compute.nova.project=" + NovaKeystoneServer.PROJECT,
          "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")).awaitHealthy(Duration.ofSeconds(300))) {
        ApiClient admin = app.as("admin", ADMIN_PASSWORD);
        assertThat(admin.post("/api/v1/nodes", Map.of("id", "node-cmp-dead", "bmc", Map.of("driver", "sim",
            "host", "sim-cmp-dead", "username", "admin", "password", "sim-pw"))).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/hosts", Map.of("id", "cmp-dead", "node", "node-cmp-dead", "capacity", 0))
            .status()).isEqualTo(201);

        ApiClient.Response started = admin.post("/api/v1/hosts/cmp-dead/evacuations", Map.of("reason", "nova test"));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode done = Evacuations.awaitStatus(admin, started.json().get("id").asText(), "succeeded", Duration.ofSeconds(120));

        assertThat(done.get("fencing").get("by").asText()).isEqualTo("bmc");
        assertThat(done.get("instances")).hasSize(5);
        for (JsonNode instance : done.get("instances")) {
          assertThat(instance.get("state").asText()).isEqualTo("placed");
          assertThat(instance.hasNonNull("target")).as("Nova's scheduler picks the target").isFalse();
          assertThat(instance.get("placedOn").asText()).isIn("cmp-a", "cmp-b");
          assertThat(nova.server(instance.get("id").asText()).host).isEqualTo(instance.get("placedOn").asText());
        }
        NovaKeystoneServer.Service dead = nova.service("cmp-dead");
        assertThat(dead.forcedDown).isTrue();
        assertThat(dead.status).isEqualTo("disabled");
        assertThat(dead.disabledReason).contains(done.get("id").asText());

        List<NovaKeystoneServer.Call> calls = nova.novaCalls();
        int forcedDown = indexOf(calls, "PUT", "/os-services/");
        int firstEvacuate = indexOf(calls, "POST", "/action");
        assertThat(forcedDown).as("force-down before the first evacuate").isBetween(0, firstEvacuate - 1);
        assertThat(nova.evacuateCalls()).hasSize(5);
        assertThat(nova.evacuateCalls().stream().map(NovaKeystoneServer.Call::path).distinct()).hasSize(5);
        assertThat(app.console()).doesNotContain(NOVA_PASSWORD);
      }
    }
  }

  private static int indexOf(List<NovaKeystoneServer.Call> calls, String method, String pathPart) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).method().equals(method) && calls.get(i).path().contains(pathPart)) {
        return i;
      }
    }
    return -1;
  }

}
