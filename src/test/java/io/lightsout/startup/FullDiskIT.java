package io.lightsout.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default when its disk fills while it runs (issue 10): what clients are told meanwhile, and that
 * what was written before stays readable once space is free again. The data directory is a small tmpfs of its
 * own; figures in {@code target/reliability/full-disk.txt}.
 */
class FullDiskIT {

  private static final Duration START = Duration.ofSeconds(300);
  private static final String ADMIN_PASSWORD = "full-disk-admin-pw-3";
  private static final int NODES = 4;
  private static final int POSTS_WHILE_FULL = 10;

  @TempDir
  Path workDir;

  @Test
  void whatWasWrittenBeforeTheDiskFilledIsIntactAfterSpaceIsFreed() throws IOException {
    Map<String, String> env = env();
    Map<String, String> finalStatusById = new TreeMap<>();
    List<String> whileFull = new ArrayList<>();
    List<Integer> statusesWhileFull = new ArrayList<>();
    List<String> acceptedWhileFull = new ArrayList<>();
    List<String> registeredWhileFull = new ArrayList<>();
    try (Tmpfs disk = Tmpfs.mount(workDir.resolve("data"), "size=160m")) {
      try (AppProcess app = AppProcess.start(workDir, env).awaitHealthy(START)) {
        ApiClient admin = app.as("admin", ADMIN_PASSWORD);
        for (int n = 0; n < NODES; n++) {
          String node = "disk-node-" + n;
          assertThat(admin.post("/api/v1/nodes", Map.of("id", node, "bmc", Map.of("driver", "sim", "host", "sim-" + n,
              "username", "admin", "password", "sim-pw"))).status()).isEqualTo(201);
          for (String action : List.of("on", "off")) {
            ApiClient.Response accepted = admin.post("/api/v1/nodes/" + node + "/power-requests",
                Map.of("action", action, "reason", "before the disk filled"));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            String id = accepted.json().get("id").asText();
            finalStatusById.put(id, admin.awaitRequest(id, "succeeded", "failed").get("status").asText());
          }
        }

        disk.fill();
        for (int i = 0; i < POSTS_WHILE_FULL; i++) {
          ApiClient.Response answer = i % 2 == 0
              ? admin.post("/api/v1/nodes/disk-node-0/power-requests", Map.of("action", "cycle", "reason", "disk full"))
              : admin.post("/api/v1/nodes?check=false", Map.of("id", "late-node-" + i, "bmc", Map.of("driver", "sim",
                  "host", "sim-late", "username", "admin", "password", "sim-pw")));
          whileFull.add(answer.status() + " " + answer.body().replaceAll("\\s+", " "));
          statusesWhileFull.add(answer.status());
          if (answer.status() == 202) {
            acceptedWhileFull.add(answer.json().get("id").asText());
          } else if (answer.status() == 201) {
            registeredWhileFull.add("late-node-" + i);
          }
        }
        int listed = admin.get("/api/v1/nodes").status();
        whileFull.add("GET /api/v1/nodes: " + listed);
        statusesWhileFull.add(listed);
        app.stop();
        Files.createDirectories(Path.of("target", "reliability"));
        Files.writeString(Path.of("target", "reliability", "full-disk-console.log"), app.console());
        whileFull.add("causes logged while full:\n" + String.join("\n", app.console().lines()
            .filter(line -> line.startsWith("Caused by")).distinct().toList()));
        whileFull.add("console while full:\n" + tail(app.console()));
      }
      disk.free();

      try (AppProcess again = AppProcess.start(workDir, env).awaitHealthy(START)) {
        ApiClient admin = again.as("admin", ADMIN_PASSWORD);
        for (int n = 0; n < NODES; n++) {
          assertThat(admin.get("/api/v1/nodes/disk-node-" + n).status()).isEqualTo(200);
        }
        Map<String, String> after = new TreeMap<>();
        for (String id : finalStatusById.keySet()) {
          after.put(id, admin.get("/api/v1/power-requests/" + id).json().get("status").asText());
        }
        report(finalStatusById, after, whileFull);
        assertThat(after).isEqualTo(finalStatusById);
        assertThat(statusesWhileFull).as("answers while the disk was full: done, or 503 to retry; never a 500")
            .allMatch(status -> status == 200 || status == 201 || status == 202 || status == 503);
        for (String id : acceptedWhileFull) {
          assertThat(admin.get("/api/v1/power-requests/" + id).status()).as("request %s accepted while full", id)
              .isEqualTo(200);
        }
        for (String node : registeredWhileFull) {
          assertThat(admin.get("/api/v1/nodes/" + node).status()).as("node %s registered while full", node)
              .isEqualTo(200);
        }
        again.stop();
      }
    }
  }

  private static Map<String, String> env() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new LinkedHashMap<>(Map.of("LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD,
        "LIGHTSOUT_SECRET_KEY", Base64.getEncoder().encodeToString(key)));
  }

  private static String tail(String console) {
    List<String> lines = console.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static void report(Map<String, String> before, Map<String, String> after, List<String> whileFull)
      throws IOException {
    Path file = Path.of("target", "reliability", "full-disk.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "requests before the disk filled: " + before + "\nafter space was freed: " + after
        + "\nanswers while full:\n" + String.join("\n", whileFull) + "\n");
  }
}
