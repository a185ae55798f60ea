package io.lightsout.bench;

import static io.lightsout.bench.BenchText.cpuModel;
import static io.lightsout.bench.BenchText.fmt;
import static io.lightsout.bench.BenchText.fmt0;
import static io.lightsout.bench.BenchText.progress;

import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The benchmarks of issue 4, each in one run of this JVM, against the packaged jar (system property
 * {@code lightsout.jar}) started by {@link AppProcess} on a fresh PostgreSQL database. Run by
 * {@code scripts/bench/power.sh}, which prints the figures; see BENCHMARKS.md.
 *
 * <ul>
 *   <li>{@code sim}: on one app instance and database, with the {@code sim} driver (latency 0): accept latency and
 *   end-to-end throughput of 10,000 power requests posted by 50 clients over 1,000 nodes, against a bare one-async-task
 *   process started the same way; then the RSS with 10,000 requests queued behind held nodes.</li>
 *   <li>{@code ipmi}: one {@code cycle} to each of {@code bench.bmcs} (100) {@code ipmi_sim} BMCs through Lights-Out
 *   (driver {@code ipmi}; {@code scripts/bench/scale.sh} runs 1,000) against an {@code xargs -P 32} loop of ipmitool
 *   (power off, then power on), per min-command-interval.</li>
 *   <li>{@code redfish} (issue 9): the same with 100 simulated Redfish BMCs over HTTPS (driver {@code redfish}) against
 *   an {@code xargs -P 32} loop of curl with Basic authentication (ForceOff, then On).</li>
 * </ul>
 *
 * Arguments: the parts to run ({@code sim}, {@code ipmi}, {@code redfish}; default all; {@code cluster}: one
 * instance, then two, only when named). System properties: {@code bench.nodes},
 * {@code bench.requests}, {@code bench.clients}, {@code bench.bmcs}, {@code bench.intervals} (comma-separated
 * min-command-interval values for the real-BMC parts; {@code default} leaves the application's default),
 * {@code bench.warm-rounds} and {@code bench.rounds} (real-BMC parts: unmeasured and measured rounds, default 5 each),
 * {@code bench.app-args} (extra application arguments, separated by spaces or semicolons), {@code bench.out} (report file).
 */
public final class PowerBenchmark {

  private static final int NODES = Integer.getInteger("bench.nodes", 1000);
  private static final int REQUESTS = Integer.getInteger("bench.requests", 10_000);
  private static final int CLIENTS = Integer.getInteger("bench.clients", 50);
  private static final int BMCS = Integer.getInteger("bench.bmcs", 100);
  private static final int XARGS_PARALLEL = 32;
  private static final String ADMIN_PASSWORD = "bench-admin-Pw9";
  private static final String FINAL = "('succeeded','failed','cancelled','merged','superseded')";
  /** Seconds between two (VACUUM) ANALYZE runs of the benchmark's database ({@link Analyzer}); 0 for none. */
  private static final int ANALYZE_EVERY = Integer.getInteger("bench.analyze-every", 60);
  /** Statements listed per phase of the sim part when the server preloads pg_stat_statements. */
  private static final int STATEMENTS_TOP = Integer.getInteger("bench.statements-top", 40);
  private static final Path OUT = Path.of(System.getProperty("bench.out", "target/benchmarks/power.md"));

  private final StringBuilder report = new StringBuilder();

  public static void main(String[] args) throws Exception {
    List<String> parts = args.length == 0 ? List.of("sim", "ipmi", "redfish") : List.of(args);
    PowerBenchmark bench = new PowerBenchmark();
    bench.line("# Lights-Out power benchmarks, " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
    bench.line("");
    bench.line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + ", Java "
        + System.getProperty("java.version") + "; app JVM " + AppProcess.jvmOptions() + " (AppProcess); extra app args: "
        + (appArgs().isEmpty() ? "none" : String.join(" ", appArgs())));
    bench.line("");
    if (parts.contains("sim")) {
      bench.sim();
    }
    if (parts.contains("ipmi")) {
      bench.ipmi();
    }
    if (parts.contains("redfish")) {
      bench.redfish();
    }
    if (parts.contains("cluster")) {
      bench.cluster();
    }
    Files.createDirectories(OUT.toAbsolutePath().getParent());
    Files.writeString(OUT, bench.report);
    System.out.println("\nReport written to " + OUT);
    System.exit(0);
  }

  // ---------------------------------------------------------------------------------------------- cluster

  /**
   * Issue 11: end to end with one instance, then with a second instance on the same database and the
   * posts spread over both (sim nodes, as in the sim part, without its baseline).
   */
  private void cluster() throws Exception {
    String db = TestDatabase.createSeparate();
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-cluster-");
    // two instances share PostgreSQL's max_connections (100 here, and other databases use it too): 16 job threads
    // and 24 connections each, for one instance and for two alike
    List<String> args = new ArrayList<>(List.of("--lightsout.monitor.enabled=false",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.secrets.key-file=" + work.resolve("secret.key"),
        "--camunda.bpm.job-execution.core-pool-size=16", "--camunda.bpm.job-execution.max-pool-size=16",
        "--spring.datasource.hikari.maximum-pool-size=24"));
    args.addAll(appArgs());
    progress("cluster: starting the first instance on " + db);
    try (AppProcess first = AppProcess.start(work.resolve("a"), env(db), withId(args, "bench-a"))
        .awaitHealthy(Duration.ofSeconds(180)); Connection sql = DriverManager.getConnection(db, TestDatabase.USER,
        TestDatabase.PASSWORD); Analyzer analyzer = new Analyzer(db, ANALYZE_EVERY)) {
      Api a = new Api(first.baseUrl());
      Load.run(NODES, CLIENTS, i -> a.post("/api/v1/nodes", "{\"id\":\"n" + i + "\",\"bmc\":{"
          + "\"driver\":\"sim\",\"host\":\"sim-" + i + "\",\"username\":\"admin\",\"password\":\"secret\","
          + "\"options\":{\"latencyMs\":\"0\"}}}")).require(201, "create nodes");
      progress("cluster: warm-up");
      double warmUp = endToEnd(sql, List.of(a), "cluster-warmup");
      progress("cluster: one instance");
      double one = endToEnd(sql, List.of(a), "cluster-one");
      progress("cluster: starting the second instance");
      try (AppProcess second = AppProcess.start(work.resolve("b"), env(db), withId(args, "bench-b"))
          .awaitHealthy(Duration.ofSeconds(180))) {
        Api b = new Api(second.baseUrl());
        progress("cluster: two instances");
        double two = endToEnd(sql, List.of(a, b), "cluster-two");
        Map<String, Integer> byInstance = countBy(sql, "SELECT owner_instance, count(*) FROM lo_power_request "
            + "WHERE reason = 'cluster-two' AND status = 'succeeded' GROUP BY owner_instance");
        line("## Cluster (issue 11): " + REQUESTS + " power requests end to end, " + NODES + " sim nodes, "
            + CLIENTS + " clients");
        line("");
        line("| instances | completed/s |");
        line("|---|---:|");
        line(String.format(Locale.ROOT, "| one (warm-up run) | %.0f |", warmUp));
        line(String.format(Locale.ROOT, "| one | %.0f |", one));
        line(String.format(Locale.ROOT, "| two, posts alternately to each | %.0f |", two));
        line("");
        line(String.format(Locale.ROOT, "Two / one: **%.2f**; requests carried out per instance with two: %s.",
            two / one, byInstance));
        line("");
        second.stop();
      }
      first.stop();
    }
  }

  /** Posts the load over the given instances in turn; completed per second, first POST to last final state. */
  private double endToEnd(Connection sql, List<Api> instances, String reason) throws Exception {
    Load power = Load.run(REQUESTS, CLIENTS, i -> instances.get(i % instances.size()).post("/api/v1/nodes/n"
        + (i % NODES) + "/power-requests", "{\"action\":\"" + ((i / NODES) % 2 == 0 ? "off" : "on")
        + "\",\"reason\":\"" + reason + "\"}"));
    power.require(202, reason);
    long done = awaitCount(sql, "SELECT count(*) FROM lo_power_request WHERE reason = '" + reason + "' AND status IN "
        + FINAL, REQUESTS, Duration.ofMinutes(15));
    return REQUESTS / ((done - power.firstEpochMillis) / 1000.0);
  }

  private static String[] withId(List<String> args, String id) {
    List<String> all = new ArrayList<>(args);
    all.add("--lightsout.instance-id=" + id);
    return all.toArray(String[]::new);
  }

  // ---------------------------------------------------------------------------------------------- sim driver

  private void sim() throws Exception {
    String db = TestDatabase.createSeparate();
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-sim-");
    List<String> args = new ArrayList<>(List.of("--lightsout.monitor.enabled=false",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.instance-id=bench",
        "--lightsout.secrets.key-file=" + work.resolve("secret.key")));
    args.addAll(appArgs());
    progress("sim: starting Lights-Out on " + db);
    try (AppProcess app = AppProcess.start(work, env(db), args.toArray(String[]::new))
        .awaitHealthy(Duration.ofSeconds(180)); Connection sql = DriverManager.getConnection(db, TestDatabase.USER,
        TestDatabase.PASSWORD); Analyzer analyzer = new Analyzer(db, ANALYZE_EVERY)) {
      Api api = new Api(app.baseUrl());
      long rssStart = rss(app.pid());
      progress("sim: creating " + NODES + " nodes");
      Load nodes = Load.run(NODES, CLIENTS, i -> api.post("/api/v1/nodes", "{\"id\":\"n" + i + "\",\"bmc\":{"
          + "\"driver\":\"sim\",\"host\":\"sim-" + i + "\",\"username\":\"admin\",\"password\":\"secret\","
          + "\"options\":{\"latencyMs\":\"0\"}}}"));
      nodes.require(201, "create nodes");
      // The admin may read deployments but not create them (IdentityBootstrap); the benchmark grants itself
      // that right in the database, for its throw-away database only.
      try (PreparedStatement grant = sql.prepareStatement("INSERT INTO act_ru_authorization (id_, rev_, type_, user_id_, "
          + "resource_type_, resource_id_, perms_) VALUES ('bench-deploy', 1, 1, 'admin', 9, '*', 2147483647)")) {
        grant.executeUpdate();
      }
      String deployment = api.deploy("bench-noop.bpmn", resource("bench/bench-noop.bpmn"));
      progress("sim: deployed the baseline process (" + deployment + ")");

      // Warm-up, not measured: one 'on' per node (every node is off at first) and 1,000 baseline instances.
      progress("sim: warm-up");
      Load.run(NODES, CLIENTS, i -> api.post("/api/v1/nodes/n" + i + "/power-requests",
          "{\"action\":\"on\",\"reason\":\"bench-warmup\"}")).require(202, "warm-up requests");
      Load.run(NODES, CLIENTS, i -> api.post("/engine-rest/process-definition/key/bench-noop/start",
          "{\"businessKey\":\"warmup-" + i + "\"}")).require(200, "warm-up baseline");
      awaitCount(sql, "SELECT count(*) FROM lo_power_request WHERE reason = 'bench-warmup' AND status IN " + FINAL,
          NODES, Duration.ofMinutes(5));
      awaitCount(sql, "SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'bench-noop' "
          + "AND business_key_ LIKE 'warmup-%' AND end_time_ IS NOT NULL", NODES, Duration.ofMinutes(5));

      // Baseline: 10,000 bare one-async-task instances, started over REST by the same number of clients.
      progress("sim: baseline, " + REQUESTS + " instances of bench-noop");
      Statements statements = Statements.of(sql);
      statements.reset();
      Cpu cpu = Cpu.of(app.pid(), db);
      Load baseline = Load.run(REQUESTS, CLIENTS, i -> api.post("/engine-rest/process-definition/key/bench-noop/start",
          "{\"businessKey\":\"e2e-" + i + "\"}"));
      baseline.require(200, "baseline starts");
      long baselineDone = awaitCount(sql, "SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'bench-noop' "
          + "AND business_key_ LIKE 'e2e-%' AND end_time_ IS NOT NULL", REQUESTS, Duration.ofMinutes(15));
      Cpu.Used baselineCpu = cpu.used();
      List<String> baselineStatements = statements.report("bench-noop", REQUESTS, STATEMENTS_TOP);

      // Lights-Out: 10,000 power requests, 10 per node, alternately off and on so that none merges and
      // every one sends a command; accept latency is measured on the same load.
      progress("sim: Lights-Out, " + REQUESTS + " power requests over " + NODES + " nodes");
      statements.reset();
      cpu = Cpu.of(app.pid(), db);
      Load power = Load.run(REQUESTS, CLIENTS, i -> api.post("/api/v1/nodes/n" + (i % NODES) + "/power-requests",
          "{\"action\":\"" + ((i / NODES) % 2 == 0 ? "off" : "on") + "\",\"reason\":\"bench-e2e\"}"));
      power.require(202, "power requests");
      long powerDone = awaitCount(sql, "SELECT count(*) FROM lo_power_request WHERE reason = 'bench-e2e' AND status IN "
          + FINAL, REQUESTS, Duration.ofMinutes(15));
      Cpu.Used powerCpu = cpu.used();
      List<String> powerStatements = statements.report("power-change", REQUESTS, STATEMENTS_TOP);
      Map<String, Integer> statuses = countBy(sql, "SELECT status, count(*) FROM lo_power_request "
          + "WHERE reason = 'bench-e2e' GROUP BY status");

      double baselineRate = REQUESTS / ((baselineDone - baseline.firstEpochMillis) / 1000.0);
      double powerRate = REQUESTS / ((powerDone - power.firstEpochMillis) / 1000.0);
      line("## 1. Accept: " + CLIENTS + " clients posting " + REQUESTS + " power requests (sim, " + NODES + " nodes)");
      line("");
      line("| accepted | median (ms) | p95 (ms) | p99 (ms) | max (ms) | accepted/s |");
      line("|---:|---:|---:|---:|---:|---:|");
      line(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.1f | %.0f |", power.count(202),
          power.percentile(50), power.percentile(95), power.percentile(99), power.percentile(100), power.rate()));
      line("");
      line("Baseline starts over /engine-rest in the same run (200 OK): median " + fmt(baseline.percentile(50))
          + " ms, p99 " + fmt(baseline.percentile(99)) + " ms, " + fmt0(baseline.rate()) + " started/s.");
      line("");
      line("## 2. End to end: " + REQUESTS + " requests, first POST to last final state");
      line("");
      line("| process | wall (s) | completed/s | app JVM CPU (s) | JVM CPU ms per instance | PostgreSQL CPU (s) "
          + "| machine busy | other processes' CPU (s) | load average after |");
      line("|---|---:|---:|---:|---:|---:|---:|---:|---|");
      line(row("bench-noop (one async no-op task)", baselineDone - baseline.firstEpochMillis, baselineRate,
          baselineCpu));
      line(row("power-change (Lights-Out, sim)", powerDone - power.firstEpochMillis, powerRate, powerCpu));
      line("");
      line(ANALYZE_EVERY > 0 ? "The benchmark ran " + Analyzer.statementName() + " on its database every "
          + ANALYZE_EVERY + " s ("
          + analyzer.runs() + " times so far), standing in for autovacuum (off on this server)."
          : "No ANALYZE during the run (autovacuum is off on this server): the planner kept the empty tables' statistics.");
      line("");
      line(String.format(Locale.ROOT, "Lights-Out / baseline throughput: **%.2f** (target >= 0.50); "
          + "Lights-Out statuses: %s.", powerRate / baselineRate, statuses));
      line("");
      baselineStatements.forEach(this::line);
      powerStatements.forEach(this::line);

      // Memory: hold every node, queue 10 requests on each, read the RSS.
      progress("sim: memory, holding " + NODES + " nodes and queueing " + REQUESTS + " requests");
      Load.run(NODES, CLIENTS, i -> api.post("/api/v1/nodes/n" + i + "/hold", "{\"reason\":\"bench-memory\"}"))
          .require(200, "holds");
      Cpu queueCpu = Cpu.of(app.pid(), db);
      Load queueing = Load.run(REQUESTS, CLIENTS, i -> api.post("/api/v1/nodes/n" + (i % NODES) + "/power-requests",
          "{\"action\":\"" + ((i / NODES) % 2 == 0 ? "off" : "on") + "\",\"reason\":\"bench-memory\"}"));
      queueing.require(202, "queued requests");
      Cpu.Used queueUsed = queueCpu.used();
      int queued = count(sql, "SELECT count(*) FROM lo_power_request WHERE reason = 'bench-memory' "
          + "AND status IN ('queued','held')");
      int waiting = count(sql, "SELECT count(*) FROM act_ru_execution WHERE act_id_ = 'Task_WaitForTurn'");
      Thread.sleep(2000);
      Map<String, String> status = procStatus(app.pid());
      // the same queue once the accepts' burst has settled: the VM's arena chunks (107 MB at +2 s in one run of
      // scripts/bench/rss/run.sh's NMT) and what glibc kept after the burst go back within seconds (the chunk pool
      // is cleaned and the native heap trimmed every 5 s); the queue itself stays
      Thread.sleep(20_000);
      long rssSettled = rss(app.pid());
      line("## 1b. Accept alone: the same " + REQUESTS + " posts by " + CLIENTS + " clients, every node held "
          + "(nothing executes meanwhile)");
      line("");
      line("| accepted | median (ms) | p95 (ms) | p99 (ms) | max (ms) | accepted/s | app JVM CPU ms per accept "
          + "| PostgreSQL CPU ms per accept | other processes' CPU (s) | load average after |");
      line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
      line(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %.1f | %s |",
          queueing.count(202), queueing.percentile(50), queueing.percentile(95), queueing.percentile(99),
          queueing.percentile(100), queueing.rate(), queueUsed.appSeconds() * 1000 / REQUESTS,
          queueUsed.postgresSeconds() * 1000 / REQUESTS, queueUsed.otherSeconds(), queueUsed.loadAverage()));
      line("");
      line("## 4. Memory with " + queued + " requests queued (" + waiting + " executions waiting for their turn)");
      line("");
      line("| VmRSS after start | VmRSS with the queue, 2 s after the last accept | the same 20 s later "
          + "| VmHWM (peak RSS, whole run) | JVM options |");
      line("|---:|---:|---:|---:|---:|");
      line("| " + rssStart / 1024 + " MB | " + kb(status.get("VmRSS")) / 1024 + " MB | " + rssSettled / 1024 + " MB | "
          + kb(status.get("VmHWM")) / 1024 + " MB | " + AppProcess.jvmOptions() + " |");
      line("");
      progress("sim: done");
      app.stop();
    }
  }

  private static String row(String name, long wallMillis, double rate, Cpu.Used cpu) {
    return String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.1f | %.1f | %.1f | %.0f %% | %.1f | %s |", name,
        wallMillis / 1000.0, rate, cpu.appSeconds(), cpu.appSeconds() * 1000 / REQUESTS, cpu.postgresSeconds(),
        cpu.machineBusy() * 100, cpu.otherSeconds(), cpu.loadAverage());
  }

  // ---------------------------------------------------------------------------------------------- real BMCs

  private void ipmi() throws Exception {
    progress("ipmi: starting " + BMCS + " BMC simulators");
    try (RealBmcs bmcs = new RealBmcs.Ipmi(BmcSimulatorFleet.start(BMCS, false))) {
      realBmcs("3", bmcs);
    }
  }

  private void redfish() throws Exception {
    progress("redfish: starting " + BMCS + " Redfish simulators");
    try (RealBmcs bmcs = RealBmcs.Redfish.start(BMCS)) {
      realBmcs("5", bmcs);
    }
  }

  /**
   * Unmeasured rounds of cycles that warm the app's JVM (JIT) and the driver's connections before measuring: with 100
   * BMCs the app's CPU per round stops falling after about 2,000 requests (measured with the per-round CPU column).
   */
  private static final int WARM_ROUNDS = Integer.getInteger("bench.warm-rounds", 20);
  /** Measured rounds: each the xargs loop, then one cycle to each BMC through Lights-Out. */
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

  /**
   * Per min-command-interval: one Lights-Out instance, warmed by {@link #WARM_ROUNDS} rounds of cycles, then
   * {@link #ROUNDS} measured rounds, each the xargs loop right before a round through Lights-Out; medians and the
   * median of the per-round ratios.
   */
  private void realBmcs(String number, RealBmcs bmcs) throws Exception {
    List<String> intervals = List.of(System.getProperty("bench.intervals", "0,default").split(","));
    line("## " + number + ". Real BMCs: one cycle to each of " + BMCS + " " + bmcs.title());
    line("");
    line("Lights-Out warmed by " + WARM_ROUNDS + " unmeasured rounds of " + BMCS + " cycles; then " + ROUNDS
        + " measured rounds, each the xargs loop (" + bmcs.loopName() + ", " + XARGS_PARALLEL
        + " in parallel) right before one cycle per BMC through Lights-Out.");
    line("");
    line("Each Lights-Out round is made twice: " + CLIENTS + " clients posting one request per BMC, then one batch of "
        + BMCS + " requests (`POST /api/v1/power-requests`, DESIGN §4), as an operator cycling a rack would.");
    line("");
    line("| min-command-interval | round | xargs (s) | Lights-Out, single requests (s) | ratio | Lights-Out, one batch (s) "
        + "| ratio | BMCs verified (xargs, single, batch) | single, then batch: accepted, finished (median/max ms after "
        + "the first POST); CPU of the round |");
    line("|---|---:|---:|---:|---:|---:|---:|---|---|");
    List<String> medians = new ArrayList<>();
    for (String interval : intervals) {
      String shown = interval.equals("default") ? "default (1s)" : interval;
      List<Double> loops = new ArrayList<>();
      List<Double> singles = new ArrayList<>();
      List<Double> singleRatios = new ArrayList<>();
      List<Double> batches = new ArrayList<>();
      List<Double> batchRatios = new ArrayList<>();
      try (CycleRig rig = new CycleRig(bmcs, interval)) {
        for (int round = 1; round <= WARM_ROUNDS; round++) {
          rig.cycleRound("bench-warm-" + round, round % 2 == 0);
        }
        for (int round = 1; round <= ROUNDS; round++) {
          double loop = xargs(bmcs);
          int loopVerified = lastVerified;
          double single = rig.cycleRound("bench-cycle-" + round, false);
          int singleVerified = lastVerified;
          String singlePhases = lastPhases;
          double batch = rig.cycleRound("bench-batch-" + round, true);
          loops.add(loop);
          singles.add(single);
          singleRatios.add(single / loop);
          batches.add(batch);
          batchRatios.add(batch / loop);
          line(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d, %d, %d of %d | %s; %s |",
              shown, round, loop, single, single / loop, batch, batch / loop, loopVerified, singleVerified,
              lastVerified, BMCS, singlePhases, lastPhases));
        }
      }
      medians.add(String.format(Locale.ROOT, "| Lights-Out, driver %s, single requests | %s | %.2f | %.2f | **%.2f** "
          + "| %s |", bmcs.driver(), shown, median(loops), median(singles), median(singleRatios), lastEvents));
      medians.add(String.format(Locale.ROOT, "| Lights-Out, driver %s, one batch | %s | %.2f | %.2f | **%.2f** | %s |",
          bmcs.driver(), shown, median(loops), median(batches), median(batchRatios), lastEvents));
    }
    line("");
    line("| medians of " + ROUNDS + " rounds | min-command-interval | xargs (s) | Lights-Out (s) | ratio | "
        + "events per BMC |");
    line("|---|---|---:|---:|---:|---|");
    medians.forEach(this::line);
    line("");
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** How long Lights-Out may take to start for the real-BMC parts: minutes on a machine shared with builds. */
  private static final Duration START_TIMEOUT = Duration.parse(System.getProperty("bench.start-timeout", "PT3M"));

  private String lastEvents;
  private int lastVerified;
  private String lastPhases;

  /** Wall time of the xargs loop (off, then on, per BMC), verified in every BMC's log. */
  private double xargs(RealBmcs bmcs) throws Exception {
    prepare(bmcs);
    Path ports = Files.createTempFile("bench-ports", ".txt");
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < BMCS; i++) {
      list.append(bmcs.port(i)).append('\n');
    }
    Files.writeString(ports, list);
    String command = "xargs -P " + XARGS_PARALLEL + " -I{} sh -c '" + bmcs.loop() + "' < " + ports;
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
    builder.environment().putAll(bmcs.loopEnv());
    long start = System.nanoTime();
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    Files.delete(ports);
    if (exit != 0) {
      throw new IllegalStateException("xargs loop failed (" + exit + "): " + command + ": " + output);
    }
    verify(bmcs);
    return seconds;
  }

  /** One Lights-Out instance with a node per BMC, driving rounds of one cycle per BMC. */
  private final class CycleRig implements AutoCloseable {
    private final RealBmcs bmcs;
    private final AppProcess app;
    private final Connection sql;
    private final Api api;
    private final String db;
    private Analyzer analyzer;

    CycleRig(RealBmcs bmcs, String interval) throws Exception {
      this.bmcs = bmcs;
      this.db = TestDatabase.createSeparate();
      Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-" + bmcs.driver() + "-");
      List<String> args = new ArrayList<>(List.of("--lightsout.monitor.enabled=false", "--lightsout.instance-id=bench",
          "--lightsout.secrets.key-file=" + work.resolve("secret.key")));
      if (!interval.equals("default")) {
        args.add("--lightsout.bmc.min-command-interval=" + interval);
      }
      args.addAll(appArgs());
      progress(bmcs.driver() + ": starting Lights-Out (min-command-interval " + interval + ")");
      app = AppProcess.start(work, env(db), args.toArray(String[]::new));
      try {
        app.awaitHealthy(START_TIMEOUT);
        sql = DriverManager.getConnection(db, TestDatabase.USER, TestDatabase.PASSWORD);
      } catch (RuntimeException | SQLException e) {
        app.close();
        throw e;
      }
      api = new Api(app.baseUrl());
      Load.run(BMCS, CLIENTS, i -> api.post("/api/v1/nodes", "{\"id\":\"bmc" + i + "\",\"bmc\":" + bmcs.nodeBmc(i)
          + "}")).require(201, "create " + bmcs.driver() + " nodes");
      // standing in for autovacuum (off on this server), as in the other parts
      analyzer = new Analyzer(db, ANALYZE_EVERY);
    }

    /**
     * Every BMC on, then one cycle per node, posted one request per node by {@link #CLIENTS} clients or as one batch;
     * wall time from the first POST until every cycle succeeded.
     */
    double cycleRound(String reason, boolean batch) throws Exception {
      prepare(bmcs);
      Cpu cpu = Cpu.of(app.pid(), db);
      AtomicInteger retried = new AtomicInteger();
      Load cycles = batch ? Load.run(1, 1, i -> api.postRetrying("/api/v1/power-requests", batchOfCycles(reason),
          retried))
          : Load.run(BMCS, CLIENTS, i -> api.postRetrying("/api/v1/nodes/bmc" + i + "/power-requests",
              "{\"action\":\"cycle\",\"reason\":\"" + reason + "\"}", retried));
      cycles.require(202, reason);
      awaitCount(sql, "SELECT count(*) FROM lo_power_request WHERE reason = '" + reason + "' AND status IN " + FINAL,
          BMCS, Duration.ofMinutes(10).plusSeconds(BMCS / 2));
      Map<String, Integer> statuses = countBy(sql, "SELECT status, count(*) FROM lo_power_request "
          + "WHERE reason = '" + reason + "' GROUP BY status");
      if (statuses.getOrDefault("succeeded", 0) != BMCS) {
        throw new IllegalStateException("not every cycle of " + reason + " succeeded: " + statuses);
      }
      long lastFinished = countLong(sql, "SELECT (extract(epoch FROM max(finished_at)) * 1000)::bigint "
          + "FROM lo_power_request WHERE reason = '" + reason + "'");
      verify(bmcs);
      if (lastVerified != BMCS) {
        throw new IllegalStateException(reason + ": " + lastVerified + " of " + BMCS + " BMCs verified: " + lastEvents);
      }
      Cpu.Used used = cpu.used();
      lastPhases = phases(sql, reason, cycles.firstEpochMillis) + String.format(Locale.ROOT,
          "; CPU s: app %.2f, PostgreSQL %.2f, benchmark, simulators and rest %.2f", used.appSeconds(),
          used.postgresSeconds(), used.otherSeconds() + used.selfSeconds())
          + (retried.get() > 0 ? "; " + retried.get() + " POST(s) answered 503 and posted again after Retry-After" : "");
      double seconds = (lastFinished - cycles.firstEpochMillis) / 1000.0;
      progress(bmcs.driver() + ": " + reason + " " + String.format(Locale.ROOT, "%.2f s", seconds) + "; " + lastPhases);
      return seconds;
    }

    private String batchOfCycles(String reason) {
      StringBuilder items = new StringBuilder("{\"items\":[");
      for (int i = 0; i < BMCS; i++) {
        items.append(i == 0 ? "" : ",").append("{\"nodeId\":\"bmc").append(i)
            .append("\",\"action\":\"cycle\",\"reason\":\"").append(reason).append("\"}");
      }
      return items.append("]}").toString();
    }

    @Override
    public void close() throws Exception {
      try {
        analyzer.close();
        sql.close();
        app.stop();
      } finally {
        app.close();
      }
    }
  }

  /** Where the wall time of a round went, from the request rows: accepted and finished, ms after the first POST. */
  private static String phases(Connection sql, String reason, long firstPostMillis) throws SQLException {
    String query = "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a), max(a), percentile_cont(0.5) WITHIN GROUP "
        + "(ORDER BY f), max(f) FROM (SELECT extract(epoch FROM requested_at) * 1000 - ? AS a, "
        + "extract(epoch FROM finished_at) * 1000 - ? AS f FROM lo_power_request WHERE reason = ?) t";
    try (PreparedStatement statement = sql.prepareStatement(query)) {
      statement.setLong(1, firstPostMillis);
      statement.setLong(2, firstPostMillis);
      statement.setString(3, reason);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return String.format(Locale.ROOT, "%.0f/%.0f, %.0f/%.0f", rows.getDouble(1), rows.getDouble(2),
            rows.getDouble(3), rows.getDouble(4));
      }
    }
  }

  /** Every BMC on, logs cleared. */
  private static void prepare(RealBmcs bmcs) {
    for (int i = 0; i < BMCS; i++) {
      bmcs.setOn(i);
    }
    bmcs.clearLogs();
  }

  /** Every BMC received off, then on, as its last two commands, and is on. */
  private void verify(RealBmcs bmcs) {
    Map<String, Integer> shapes = new TreeMap<>();
    int ok = 0;
    for (int i = 0; i < BMCS; i++) {
      List<String> commands = bmcs.commands(i);
      shapes.merge(String.join(", ", commands), 1, Integer::sum);
      if (commands.size() >= 2 && commands.get(commands.size() - 2).equals(bmcs.off())
          && commands.get(commands.size() - 1).equals(bmcs.on()) && bmcs.isOn(i)) {
        ok++;
      }
    }
    lastEvents = shapes.size() == 1 ? shapes.keySet().iterator().next() : shapes.toString();
    lastVerified = ok;
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static Map<String, String> env(String db) {
    return Map.of("LIGHTSOUT_DB_URL", db, "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD, "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD);
  }

  private static List<String> appArgs() {
    String extra = System.getProperty("bench.app-args", "").strip();
    return extra.isEmpty() ? List.of() : List.of(extra.split("[\\s;]+"));
  }

  /** Polls every 100 ms until the query counts at least {@code expected}; answers the epoch millis it did. */
  private static long awaitCount(Connection sql, String query, int expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int last = -1;
    long lastReport = System.nanoTime();
    while (System.nanoTime() < deadline) {
      last = count(sql, query);
      if (last >= expected) {
        return System.currentTimeMillis();
      }
      if (System.nanoTime() - lastReport > 10_000_000_000L) {
        progress("  ... " + last + " of " + expected);
        lastReport = System.nanoTime();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("only " + last + " of " + expected + " within " + timeout + ": " + query);
  }

  private static int count(Connection sql, String query) throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, BenchSql.count(sql, query));
  }

  private static long countLong(Connection sql, String query) throws SQLException {
    return BenchSql.count(sql, query);
  }

  private static Map<String, Integer> countBy(Connection sql, String query) throws SQLException {
    Map<String, Integer> counts = new TreeMap<>();
    try (PreparedStatement statement = sql.prepareStatement(query); ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
    }
    return counts;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = PowerBenchmark.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  private static long rss(long pid) throws IOException {
    return kb(procStatus(pid).get("VmRSS"));
  }

  private static Map<String, String> procStatus(long pid) throws IOException {
    Map<String, String> fields = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return fields;
  }

  private static long kb(String value) {
    return Long.parseLong(value.replace("kB", "").strip());
  }

  private void line(String text) {
    report.append(text).append('\n');
    System.out.println(text);
  }

  /** HTTP with Basic authentication as admin. */
  private static final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization = "Basic " + Base64.getEncoder()
        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

    Api(String base) {
      this.base = base;
    }

    int post(String path, String json) {
      return send(postRequest(path, json)).statusCode();
    }

    /**
     * As a client is told to: a 503 (every database connection busy, or a queue limit) is posted again after its
     * Retry-After, up to 5 times; each such answer is counted in {@code retried}.
     */
    int postRetrying(String path, String json, AtomicInteger retried) {
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> answer = send(postRequest(path, json));
        if (answer.statusCode() != 503 || attempt > 5) {
          return answer.statusCode();
        }
        retried.incrementAndGet();
        long seconds = answer.headers().firstValueAsLong("Retry-After").orElse(1);
        try {
          Thread.sleep(Math.min(seconds, 10) * 1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }

    private HttpRequest postRequest(String path, String json) {
      return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
          .header("Authorization", authorization).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    String deploy(String fileName, byte[] content) {
      String boundary = "bench" + UUID.randomUUID();
      String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nbench-noop\r\n"
          + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileName + "\"; filename=\"" + fileName
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
      byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
      byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[headBytes.length + content.length + tail.length];
      System.arraycopy(headBytes, 0, body, 0, headBytes.length);
      System.arraycopy(content, 0, body, headBytes.length, content.length);
      System.arraycopy(tail, 0, body, headBytes.length + content.length, tail.length);
      HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base + "/engine-rest/deployment/create"))
          .header("Authorization", authorization).header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("deployment failed: " + answer.statusCode() + " " + answer.body());
      }
      return answer.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private HttpResponse<String> send(HttpRequest request) {
      try {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** {@code total} calls by {@code clients} threads, each taking the next index; latency and status per call. */
  private static final class Load {
    private final long[] nanos;
    private final int[] statuses;
    private final long firstEpochMillis;
    private final long wallNanos;

    private Load(long[] nanos, int[] statuses, long firstEpochMillis, long wallNanos) {
      this.nanos = nanos;
      this.statuses = statuses;
      this.firstEpochMillis = firstEpochMillis;
      this.wallNanos = wallNanos;
    }

    static Load run(int total, int clients, IntFunction<Integer> call) throws InterruptedException {
      long[] nanos = new long[total];
      int[] statuses = new int[total];
      AtomicInteger next = new AtomicInteger();
      AtomicLong lastEnd = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long firstEpoch = System.currentTimeMillis();
      long start = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        pool.execute(() -> {
          for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
            long begin = System.nanoTime();
            int status;
            try {
              status = call.apply(i);
            } catch (RuntimeException e) {
              status = -1;
            }
            long end = System.nanoTime();
            nanos[i] = end - begin;
            statuses[i] = status;
            lastEnd.accumulateAndGet(end, Math::max);
          }
        });
      }
      pool.shutdown();
      if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
        throw new IllegalStateException("load did not finish");
      }
      return new Load(nanos, statuses, firstEpoch, lastEnd.get() - start);
    }

    int count(int status) {
      return (int) Arrays.stream(statuses).filter(s -> s == status).count();
    }

    void require(int status, String what) {
      if (count(status) != statuses.length) {
        Map<Integer, Integer> by = new ConcurrentHashMap<>();
        Arrays.stream(statuses).forEach(s -> by.merge(s, 1, Integer::sum));
        throw new IllegalStateException(what + ": expected " + statuses.length + " x " + status + ", got " + by);
      }
    }

    /** Milliseconds at the given percentile (nearest rank); 100 is the maximum. */
    double percentile(double p) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

    double rate() {
      return nanos.length / (wallNanos / 1e9);
    }
  }

}
