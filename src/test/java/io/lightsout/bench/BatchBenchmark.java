package io.lightsout.bench;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.TestDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 12, target 3: "power off all my nodes before the outage". {@code bench.nodes} sim nodes (latency 0),
 * then {@code bench.batches} batches of one request per node, posted one after the other by one client, the
 * action alternating per batch (off, on, ...) so that nothing merges. Run twice on one app: with every node held
 * (accept alone) and with nodes free (accept while requests execute). Prints the rates, each batch's latency and
 * the machine's load average; then how long until every request's process had started (they start behind the
 * accept) and until every request was final: with nodes held, from the first of the nodes' resumes; with nodes
 * free, from the first batch (the end-to-end rate of the whole scenario). Run by {@code scripts/bench/batch.sh}.
 */
public final class BatchBenchmark {

  private static final int NODES = Integer.getInteger("bench.nodes", 1000);
  private static final int BATCHES = Integer.getInteger("bench.batches", 10);
  private static final String ADMIN_PASSWORD = "bench-admin-Pw9";
  private static final String FIRST_BATCH = "the first batch was posted";

  private BatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    String db = TestDatabase.createSeparate();
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-batch-");
    Map<String, String> env = Map.of("LIGHTSOUT_DB_URL", db, "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD, "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD);
    System.out.println("load average before start: " + loadAverage());
    try (AppProcess app = AppProcess.start(work, env, "--lightsout.monitor.enabled=false",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.power.max-queue-fleet-wide=100000",
        "--lightsout.secrets.key-file=" + work.resolve("secret.key")).awaitHealthy(Duration.ofSeconds(240))) {
      ApiClient api = app.as("admin", ADMIN_PASSWORD);
      createNodes(api);
      System.out.println("load average after creating " + NODES + " nodes: " + loadAverage());
      for (int i = 0; i < NODES; i++) {
        require(api.post("/api/v1/nodes/b" + i + "/hold", Map.of("reason", "bench: accept alone")), 200);
      }
      try (Connection sql = DriverManager.getConnection(db, TestDatabase.USER, TestDatabase.PASSWORD)) {
        long heldStart = run(api, "held (accept alone)", "held");
        awaitCount(sql, "held: every request's power-change process started", heldStart, FIRST_BATCH,
            "SELECT count(*) FROM lo_power_request WHERE process_instance_id IS NULL", 0);
        long resumed = System.nanoTime();
        for (int i = 0; i < NODES; i++) {
          require(api.post("/api/v1/nodes/b" + i + "/resume", null), 200);
        }
        System.out.printf("held: %d nodes resumed one by one in %.1f s%n", NODES, (System.nanoTime() - resumed) / 1e9);
        awaitCount(sql, "held: every request final, every BMC at its last action", resumed, "the first resume",
            "SELECT count(*) FROM lo_power_request WHERE status IN ('queued', 'running', 'held')", 0);
        long freeStart = run(api, "free (requests execute meanwhile)", "free");
        awaitCount(sql, "free: every request's power-change process started", freeStart, FIRST_BATCH,
            "SELECT count(*) FROM lo_power_request WHERE process_instance_id IS NULL", 0);
        awaitCount(sql, "free: every request final, every BMC at its last action", freeStart, FIRST_BATCH,
            "SELECT count(*) FROM lo_power_request WHERE status IN ('queued', 'running', 'held')", 0);
        System.out.println("free: statuses " + BenchSql.countBy(sql,
            "SELECT status, count(*) FROM lo_power_request WHERE reason = ? GROUP BY status", "bench-batch-free"));
      }
    }
  }

  /** Waits until the query counts {@code expected}; prints the seconds since {@code sinceNanos} ({@code since}). */
  private static void awaitCount(Connection sql, String what, long sinceNanos, String since, String query,
      long expected)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    long count;
    while ((count = BenchSql.count(sql, query)) != expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": still " + count + " after 20 min");
      }
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - sinceNanos) / 1e9;
    System.out.printf("%s: %.1f s after %s (%.0f requests/s); load average %s%n", what, seconds, since,
        BATCHES * NODES / seconds, loadAverage());
  }

  private static void createNodes(ApiClient api) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<ApiClient.Response>> created = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      Map<String, Object> node = Map.of("id", "b" + i, "bmc", Map.of("driver", "sim", "host", "sim-" + i,
          "username", "admin", "password", "secret", "options", Map.of("latencyMs", "0")));
      created.add(pool.submit(() -> api.post("/api/v1/nodes", node)));
    }
    for (Future<ApiClient.Response> answer : created) {
      require(answer.get(), 201);
    }
    pool.shutdown();
  }

  /** Posts the batches; answers the time the first was posted ({@link System#nanoTime()}). */
  private static long run(ApiClient api, String name, String reason) {
    List<Long> millis = new ArrayList<>();
    Map<String, Integer> itemStatuses = new TreeMap<>();
    long start = System.nanoTime();
    for (int b = 0; b < BATCHES; b++) {
      List<Map<String, Object>> items = new ArrayList<>(NODES);
      for (int i = 0; i < NODES; i++) {
        Map<String, Object> item = new HashMap<>();
        item.put("nodeId", "b" + i);
        item.put("action", b % 2 == 0 ? "off" : "on");
        item.put("reason", "bench-batch-" + reason);
        items.add(item);
      }
      long t0 = System.nanoTime();
      ApiClient.Response answer = api.post("/api/v1/power-requests", Map.of("items", items));
      millis.add((System.nanoTime() - t0) / 1_000_000);
      require(answer, 202);
      answer.json().get("items").get("items").forEach(item -> itemStatuses.merge(
          item.has("request") ? item.get("request").get("status").asText() : "http " + item.get("status"), 1,
          Integer::sum));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int total = BATCHES * NODES;
    System.out.printf("%s: %d requests in %d batches of %d: %.1f s, %.0f accepted/s; per batch (ms) %s; "
        + "item answers %s; load average %s%n", name, total, BATCHES, NODES, seconds, total / seconds, millis,
        itemStatuses, loadAverage());
    return start;
  }

  private static void require(ApiClient.Response answer, int status) {
    if (answer.status() != status) {
      throw new IllegalStateException("expected " + status + ": " + answer);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
