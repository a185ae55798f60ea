package io.lightsout.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.RebuildReceiver;
import io.lightsout.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The evacuation benchmark of issue 8: one host with 100 instances evacuated through Lights-Out (packaged jar,
 * fresh PostgreSQL database, {@code sim} BMCs, the inventory driver with a zero-latency rebuild webhook), per
 * {@code lightsout.evacuation.max-parallel}. Each setting starts one app and evacuates {@code bench.runs} hosts
 * one after the other; the figures are medians. Run by {@code scripts/bench/evacuation.sh}; see BENCHMARKS.md.
 *
 * <p>System properties: {@code bench.instances} (100), {@code bench.runs} (3), {@code bench.parallel} (1,8,32),
 * {@code bench.out} (report file).
 */
public final class EvacuationBenchmark {

  private static final int INSTANCES = Integer.getInteger("bench.instances", 100);
  private static final int RUNS = Integer.getInteger("bench.runs", 3);
  private static final String ADMIN_PASSWORD = "bench-admin-Pw9";
  private static final Path OUT = Path.of(System.getProperty("bench.out", "target/benchmarks/evacuation.md"));

  private final StringBuilder report = new StringBuilder();

  public static void main(String[] args) throws Exception {
    EvacuationBenchmark bench = new EvacuationBenchmark();
    bench.line("# Lights-Out evacuation benchmark, " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
    bench.line("");
    bench.line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + "; " + INSTANCES + " instances per host, " + RUNS
        + " evacuations per setting (medians); rebuild webhook answers at once.");
    bench.line("");
    bench.line("| max-parallel | POST to succeeded (s) | POST to fenced (s) | fenced to succeeded (s) | instances/s "
        + "| app JVM CPU ms per instance | PostgreSQL CPU ms per instance | webhook calls | load average after |");
    bench.line("|---|---|---|---|---|---|---|---|---|");
    for (String parallel : System.getProperty("bench.parallel", "1,8,32").split(",")) {
      bench.setting(Integer.parseInt(parallel.strip()));
    }
    Files.createDirectories(OUT.toAbsolutePath().getParent());
    Files.writeString(OUT, bench.report);
    System.out.println("\nReport written to " + OUT);
    System.exit(0);
  }

  private void setting(int maxParallel) throws Exception {
    String db = TestDatabase.createSeparate();
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-evacuation-");
    Map<String, String> env = Map.of("LIGHTSOUT_DB_URL", db, "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD, "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD);
    try (RebuildReceiver webhook = RebuildReceiver.start();
         AppProcess app = AppProcess.start(work, env, "--lightsout.monitor.enabled=false",
             "--lightsout.bmc.min-command-interval=0", "--lightsout.instance-id=bench",
             "--lightsout.evacuation.max-parallel=" + maxParallel, "--lightsout.evacuation.verify-interval=PT0.2S",
             "--lightsout.compute.inventory.rebuild-webhook=" + webhook.url(),
             "--lightsout.secrets.key-file=" + work.resolve("secret.key")).awaitHealthy(Duration.ofSeconds(180))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      for (int spare = 0; spare < 4; spare++) {
        host(admin, "spare" + spare, INSTANCES * (RUNS + 1));
      }
      warmUp(admin);
      List<double[]> runs = new ArrayList<>();
      Cpu cpu = Cpu.of(app.pid(), db);
      for (int run = 0; run < RUNS; run++) {
        runs.add(evacuate(admin, "failed" + run));
      }
      Cpu.Used used = cpu.used();
      double total = median(runs, 0);
      int calls = webhook.calls().size() - 5;
      line(String.format("| %d | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f | %d | %s |", maxParallel, total,
          median(runs, 1), median(runs, 2), INSTANCES / total, used.appSeconds() * 1000 / (RUNS * INSTANCES),
          used.postgresSeconds() * 1000 / (RUNS * INSTANCES), calls, used.loadAverage()));
    }
  }

  private void warmUp(ApiClient admin) throws InterruptedException {
    host(admin, "warmup", 0);
    for (int i = 0; i < 5; i++) {
      require(admin.post("/api/v1/instances", Map.of("id", "warmup-vm" + i, "host", "warmup")), 201);
    }
    String id = admin.post("/api/v1/hosts/warmup/evacuations", Map.of()).json().get("id").asText();
    await(admin, id);
  }

  /** One evacuation of a host with INSTANCES instances: seconds to succeeded, to fenced, fenced to succeeded. */
  private double[] evacuate(ApiClient admin, String host) throws InterruptedException {
    host(admin, host, 0);
    for (int i = 0; i < INSTANCES; i++) {
      require(admin.post("/api/v1/instances", Map.of("id", host + "-vm" + i, "host", host)), 201);
    }
    progress("evacuating " + host);
    Instant posted = Instant.now();
    ApiClient.Response started = require(admin.post("/api/v1/hosts/" + host + "/evacuations", Map.of()), 202);
    JsonNode done = await(admin, started.json().get("id").asText());
    Instant finished = Instant.parse(done.get("finishedAt").asText());
    Instant fenced = Instant.parse(done.get("fencing").get("at").asText());
    Instant requested = Instant.parse(done.get("requestedAt").asText());
    double total = Duration.between(posted, finished).toMillis() / 1000.0;
    return new double[] {total, Duration.between(requested, fenced).toMillis() / 1000.0,
        Duration.between(fenced, finished).toMillis() / 1000.0};
  }

  private static void host(ApiClient admin, String id, int capacity) {
    require(admin.post("/api/v1/nodes", Map.of("id", "node-" + id, "bmc", Map.of("driver", "sim", "host", "sim-" + id,
        "username", "admin", "password", "sim-pw", "options", Map.of("latencyMs", "0")))), 201);
    require(admin.post("/api/v1/hosts", Map.of("id", id, "node", "node-" + id, "capacity", capacity)), 201);
  }

  private static JsonNode await(ApiClient admin, String id) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (Instant.now().isBefore(deadline)) {
      JsonNode read = admin.get("/api/v1/evacuations/" + id).json();
      String status = read.get("status").asText();
      if (status.equals("succeeded")) {
        return read;
      }
      if (!status.equals("running")) {
        throw new IllegalStateException("evacuation " + id + " ended " + status + ": " + read);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("evacuation " + id + " did not finish within 10 minutes");
  }

  private static ApiClient.Response require(ApiClient.Response response, int status) {
    if (response.status() != status) {
      throw new IllegalStateException("expected " + status + ": " + response);
    }
    return response;
  }

  private static double median(List<double[]> runs, int column) {
    double[] values = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return values[values.length / 2];
  }

  private void line(String text) {
    report.append(text).append('\n');
    System.out.println(text);
  }

  private static void progress(String text) {
    System.err.println("[bench] " + text);
  }
}
