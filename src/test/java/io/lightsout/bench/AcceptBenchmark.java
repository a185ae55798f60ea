package io.lightsout.bench;

import static io.lightsout.bench.BenchText.cpuModel;
import static io.lightsout.bench.BenchText.fmt;
import static io.lightsout.bench.BenchText.fmt0;
import static io.lightsout.bench.BenchText.progress;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
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
import java.sql.Statement;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Issue 12, target 2: accept under an open-loop load, one app instance ({@link AppProcess}, the packaged jar of
 * system property {@code lightsout.jar}) on a fresh PostgreSQL database, {@code bench.nodes} sim nodes (latency 0),
 * {@code min-command-interval} 0 and the power monitor off, as in {@link PowerBenchmark}'s sim part. Run by
 * {@code scripts/bench/accept.sh}; the report goes to {@code bench.out}.
 *
 * <p>Open loop: request i is sent at t0 + i / rate by {@link HttpClient#sendAsync}, whether or not earlier ones
 * were answered, and its latency runs from that scheduled time to the answer (or failure), so a slow answer
 * cannot delay the requests behind it and hide their wait (no coordinated omission). Every request carries HTTP
 * Basic authentication as the admin. A step reports the offered and achieved rate (answers of the expected status
 * per second between the 1st and the 99th percentile of their arrival times), the median, p95, p99 and maximum
 * latency, and every other answer as an error by its status (or exception; a request unanswered after 30 s fails
 * with a timeout).
 *
 * <ul>
 *   <li><b>A, accept while executing</b>: the end-to-end capacity C is {@code bench.capacity} (requests/s) or, if
 *   unset, measured by a closed-loop drain ({@code bench.capacity-requests} requests by {@code bench.clients}
 *   clients, first POST to the last final state). Then C / 2 is offered for {@code bench.seconds} as
 *   {@code POST /api/v1/nodes/{id}/power-requests}, round-robin over the nodes, each node's requests alternately
 *   {@code off} and {@code on} so none merges. Afterwards every accepted request must reach a final status in
 *   {@code lo_power_request}.</li>
 *   <li><b>B, sustainable accept rate</b>: offered rates from {@code bench.start-rate}, times {@code bench.step}
 *   per step of {@code bench.step-seconds}, until a step is not sustained (an error, achieved below 98 % of
 *   offered, or p99 above {@code bench.p99-bound-ms}); then {@code bench.refine} bisections (geometric mean)
 *   between the last sustained and the first failed rate. Three variants, the baselines first: starts of the bare
 *   process {@code bench-noop} (one asyncBefore no-op task) over
 *   {@code POST /engine-rest/process-definition/key/bench-noop/start} whose instances execute during the step
 *   (each step then waits until they all ended); the same starts with the job definition of {@code bench-noop}
 *   suspended, so the engine creates each job suspended and nothing executes; Lights-Out with every node held
 *   ({@code POST /api/v1/nodes/{id}/hold}), so each request waits in its queue. The target's ratio is Lights-Out
 *   held to the suspended baseline: both sides then do the work of an accept and nothing else, which is what
 *   "measured the same way" asks; the executing baseline is what the closed-loop runs compared against. CPU per
 *   accept (app JVM, the database's PostgreSQL backends; {@link Cpu}) is taken over each step's sending, next to the
 *   app's CPU over a few idle seconds before each variant.</li>
 * </ul>
 *
 * ANALYZE runs before every measured load (autovacuum is off on this machine's server), never during one, and every
 * 10 s during the capacity drain (a closed loop that fills the tables; without it the drain measures the planner's
 * view of empty tables: 3,000 requests took 11 minutes and the app's pool ran dry, 2026-12-05). The
 * queue limits are raised ({@code max-queue-per-node}, {@code max-queue-fleet-wide}) so that held requests piling
 * up over the steps are never refused; they are checked the same way whatever their value.
 *
 * <p>System properties: {@code bench.nodes} (1,000), {@code bench.clients} (50), {@code bench.capacity},
 * {@code bench.capacity-requests} (3,000), {@code bench.seconds} (60), {@code bench.start-rate} (25),
 * {@code bench.step} (1.2), {@code bench.step-seconds} (15), {@code bench.refine} (2), {@code bench.max-rate}
 * (2,000), {@code bench.p99-bound-ms} (1,000), {@code bench.app-args}, {@code bench.out}
 * ({@code target/benchmarks/accept.md}).
 */
public final class AcceptBenchmark {

  private static final int NODES = Integer.getInteger("bench.nodes", 1000);
  private static final int CLIENTS = Integer.getInteger("bench.clients", 50);
  private static final String CAPACITY = System.getProperty("bench.capacity");
  private static final int CAPACITY_REQUESTS = Integer.getInteger("bench.capacity-requests", 3000);
  private static final int DRAIN_ANALYZE_EVERY = 10;
  private static final Duration OPEN_DURATION = Duration.ofSeconds(Integer.getInteger("bench.seconds", 60));
  private static final double START_RATE = Double.parseDouble(System.getProperty("bench.start-rate", "25"));
  private static final double STEP = Double.parseDouble(System.getProperty("bench.step", "1.2"));
  private static final Duration STEP_DURATION = Duration.ofSeconds(Integer.getInteger("bench.step-seconds", 15));
  private static final int REFINE = Integer.getInteger("bench.refine", 2);
  private static final double MAX_RATE = Double.parseDouble(System.getProperty("bench.max-rate", "2000"));
  private static final double P99_BOUND_MS = Double.parseDouble(System.getProperty("bench.p99-bound-ms", "1000"));
  private static final Path OUT = Path.of(System.getProperty("bench.out", "target/benchmarks/accept.md"));
  /** Achieved / offered that a step must reach to count as sustained. */
  private static final double SUSTAINED = 0.98;
  private static final double TARGET_P99_MS = 100;
  private static final double TARGET_RATIO = 0.9;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(15);
  /** Before each variant's steps: the app's CPU while nothing is sent (JIT compilation, job acquisition). */
  private static final Duration IDLE = Duration.ofSeconds(5);
  private static final String ADMIN_PASSWORD = "bench-admin-Pw9";
  private static final List<String> FINAL_STATUSES = List.of("succeeded", "failed", "cancelled", "merged",
      "superseded");
  private static final String FINAL = "('" + String.join("','", FINAL_STATUSES) + "')";
  private static final String NOOP_START = "/engine-rest/process-definition/key/bench-noop/start";
  private static final List<String> QUEUE_LIMITS = List.of("--lightsout.power.max-queue-per-node=100000",
      "--lightsout.power.max-queue-fleet-wide=10000000");

  private final StringBuilder report = new StringBuilder();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String authorization = "Basic " + Base64.getEncoder()
      .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
  private final AppProcess app;
  private final String db;
  private final Connection sql;
  private final ApiClient api;
  /**
   * Sim nodes start off; each node's next action is the opposite of the last one sent to it (after a refused one the
   * next finds its node already in the target state: still a request that ends, without a command).
   */
  private final boolean[] nodeOn = new boolean[NODES];
  private int nextNode;

  private AcceptBenchmark(AppProcess app, String db, Connection sql) {
    this.app = app;
    this.db = db;
    this.sql = sql;
    this.api = app.as("admin", ADMIN_PASSWORD);
  }

  public static void main(String[] args) throws Exception {
    String db = TestDatabase.createSeparate();
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-accept-");
    List<String> appArgs = new ArrayList<>(List.of("--lightsout.monitor.enabled=false",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.instance-id=bench",
        "--lightsout.secrets.key-file=" + work.resolve("secret.key")));
    appArgs.addAll(QUEUE_LIMITS);
    appArgs.addAll(extraAppArgs());
    progress("starting Lights-Out on " + db);
    try (AppProcess app = AppProcess.start(work, Map.of("LIGHTSOUT_DB_URL", db, "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD, "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD),
        appArgs.toArray(String[]::new)).awaitHealthy(Duration.ofSeconds(240));
        Connection sql = DriverManager.getConnection(db, TestDatabase.USER, TestDatabase.PASSWORD)) {
      AcceptBenchmark bench = new AcceptBenchmark(app, db, sql);
      try {
        bench.run();
      } finally {
        // what was measured before a failure is kept
        Files.createDirectories(OUT.toAbsolutePath().getParent());
        Files.writeString(OUT, bench.report);
        System.out.println("\nReport written to " + OUT);
      }
      app.stop();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    line("# Lights-Out open-loop accept benchmark (issue 12, target 2), "
        + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
    line("");
    line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + ", Java "
        + System.getProperty("java.version") + "; app JVM " + AppProcess.jvmOptions() + " (AppProcess); extra app args: "
        + (extraAppArgs().isEmpty() ? "none" : String.join(" ", extraAppArgs())));
    line("");
    line(NODES + " sim nodes (latency 0), min-command-interval 0, power monitor off, " + String.join(" ", QUEUE_LIMITS)
        + "; load average at the start: " + loadAverage() + ".");
    line("");
    progress("creating " + NODES + " nodes");
    closedLoop(NODES, CLIENTS, i -> post("/api/v1/nodes", "{\"id\":\"n" + i + "\",\"bmc\":{\"driver\":\"sim\","
        + "\"host\":\"sim-" + i + "\",\"username\":\"admin\",\"password\":\"secret\","
        + "\"options\":{\"latencyMs\":\"0\"}}}")).require(201, "create nodes");
    whileExecuting();
    sustainableRates();
  }

  // ---------------------------------------------------------------------------------------------- A

  private void whileExecuting() throws Exception {
    progress("A: warm-up, one request per node");
    // warm-ups tolerate refusals (a cold app under this load may answer 503): they wait for what was accepted
    awaitFinal("accept-warmup", closedLoop(NODES, CLIENTS, i -> nextPowerRequest("accept-warmup"))
        .count(202, "warm-up"));
    analyze();
    double capacity;
    String capacitySource;
    if (CAPACITY != null) {
      capacity = Double.parseDouble(CAPACITY);
      capacitySource = "given (bench.capacity)";
    } else {
      progress("A: end-to-end capacity, " + CAPACITY_REQUESTS + " requests by " + CLIENTS + " clients");
      ClosedLoop drain;
      int accepted;
      long done;
      // a drain, not a latency measurement: ANALYZE as autovacuum would while the tables fill
      try (Analyzer analyzer = new Analyzer(db, DRAIN_ANALYZE_EVERY)) {
        drain = closedLoop(CAPACITY_REQUESTS, CLIENTS, i -> nextPowerRequest("accept-capacity"));
        accepted = drain.count(202, "capacity requests");
        done = awaitFinal("accept-capacity", accepted);
      }
      capacity = accepted / ((done - drain.firstEpochMillis) / 1000.0);
      capacitySource = String.format(Locale.ROOT, "measured: %d requests by %d clients (closed loop; answers %s), "
          + "first POST to the last final state of the %d accepted in %.1f s", CAPACITY_REQUESTS, CLIENTS,
          drain.statusCounts(), accepted, (done - drain.firstEpochMillis) / 1000.0);
      analyze();
    }
    double rate = capacity / 2;
    progress(String.format(Locale.ROOT, "A: offering %.1f/s for %d s", rate, OPEN_DURATION.toSeconds()));
    Cpu cpu = Cpu.of(app.pid(), db);
    OpenLoop load = openLoop(rate, OPEN_DURATION, () -> nextPowerRequest("accept-open"), 202);
    Cpu.Used used = cpu.used();
    long lastSentEpochMillis = System.currentTimeMillis() - (System.nanoTime() - load.lastScheduledNanos()) / 1_000_000;
    long done = awaitFinal("accept-open", load.ok());
    int rows = count("SELECT count(*) FROM lo_power_request WHERE reason = 'accept-open'");
    Map<String, Integer> statuses = countBy("SELECT status, count(*) FROM lo_power_request "
        + "WHERE reason = 'accept-open' GROUP BY status");

    line(String.format(Locale.ROOT, "## A. Accept while executing: open loop at half the end-to-end capacity "
        + "(%.1f/s of %.1f/s)", rate, capacity));
    line("");
    line("End-to-end capacity C = " + fmt(capacity) + " requests/s, " + capacitySource + ". Offered C / 2 for "
        + OPEN_DURATION.toSeconds() + " s, round-robin over the nodes, each node alternately off and on.");
    line("");
    line(OpenLoop.HEADER);
    line(OpenLoop.RULE);
    line(load.row());
    line("");
    errorSamples(load);
    line(String.format(Locale.ROOT, "Every accepted request reached a final status: %s (%d rows for %d accepted; "
        + "statuses %s); the last %.1f s after the last request was sent.", rows == load.ok()
        && FINAL_STATUSES.containsAll(statuses.keySet()) ? "yes" : "**no**", rows, load.ok(), statuses,
        (done - lastSentEpochMillis) / 1000.0));
    line("");
    line(String.format(Locale.ROOT, "CPU while offering (accept and execution): app JVM %.1f s, PostgreSQL %.1f s, "
        + "this benchmark %.1f s, other processes %.1f s; machine busy %.0f %%; load average after %s.",
        used.appSeconds(), used.postgresSeconds(), used.selfSeconds(), used.otherSeconds(), used.machineBusy() * 100,
        used.loadAverage()));
    line("");
    line(String.format(Locale.ROOT, "Target p99 < %.0f ms at half the capacity: p99 %.1f ms, errors %d: **%s**.",
        TARGET_P99_MS, load.percentile(99), load.errorCount(), load.percentile(99) < TARGET_P99_MS
            && load.errorCount() == 0 ? "met" : "not met"));
    line("");
  }

  // ---------------------------------------------------------------------------------------------- B

  private void sustainableRates() throws Exception {
    try (PreparedStatement grant = sql.prepareStatement("INSERT INTO act_ru_authorization (id_, rev_, type_, user_id_, "
        + "resource_type_, resource_id_, perms_) VALUES ('bench-deploy', 1, 1, 'admin', 9, '*', 2147483647)")) {
      // the admin may read deployments but not create them (IdentityBootstrap): granted in this throw-away database
      grant.executeUpdate();
    }
    deployNoop();
    progress("B: warm-up of the baseline, " + NODES + " instances of bench-noop");
    closedLoop(NODES, CLIENTS, i -> post(NOOP_START, "{\"businessKey\":\"noop-warmup-" + i + "\"}"))
        .count(200, "baseline warm-up");
    String activeNoopJobs = "SELECT count(*) FROM act_ru_job WHERE process_def_key_ = 'bench-noop' "
        + "AND suspension_state_ = 1";
    awaitZero(activeNoopJobs);

    AtomicInteger executing = new AtomicInteger();
    Search noop = search("bench-noop, instances execute", () -> post(NOOP_START,
        "{\"businessKey\":\"noop-executing-" + executing.getAndIncrement() + "\"}"), 200,
        () -> awaitZero(activeNoopJobs), activeNoopJobs);

    ApiClient.Response suspended = api.put("/engine-rest/job-definition/suspended",
        Map.of("processDefinitionKey", "bench-noop", "suspended", true, "includeJobs", true));
    if (suspended.status() != 204) {
      throw new IllegalStateException("suspending bench-noop's job definition: " + suspended);
    }
    AtomicInteger waiting = new AtomicInteger();
    Search noopSuspended = search("bench-noop, job definition suspended (nothing executes)", () -> post(NOOP_START,
        "{\"businessKey\":\"noop-waiting-" + waiting.getAndIncrement() + "\"}"), 200, () -> { },
        "SELECT count(*) FROM act_ru_job WHERE process_def_key_ = 'bench-noop' AND suspension_state_ = 2");
    int endedWhileSuspended = count("SELECT count(*) FROM act_hi_procinst WHERE proc_def_key_ = 'bench-noop' "
        + "AND business_key_ LIKE 'noop-waiting-%' AND end_time_ IS NOT NULL");

    progress("B: holding " + NODES + " nodes");
    closedLoop(NODES, CLIENTS, i -> post("/api/v1/nodes/n" + i + "/hold", "{\"reason\":\"bench: accept alone\"}"))
        .require(200, "holds");
    Search held = search("Lights-Out, every node held (nothing executes)", () -> nextPowerRequest("accept-held"), 202,
        () -> { }, "SELECT count(*) FROM lo_power_request WHERE status IN ('queued','held')");
    Map<String, Integer> heldStatuses = countBy("SELECT status, count(*) FROM lo_power_request "
        + "WHERE reason = 'accept-held' GROUP BY status");

    line(String.format(Locale.ROOT, "## B. Sustainable accept rate: open loop, steps of %d s from %s/s, x%s per step, "
        + "then %d bisections", STEP_DURATION.toSeconds(), fmt(START_RATE), fmt(STEP), REFINE));
    line("");
    line(String.format(Locale.ROOT, "A step is sustained when it has no error, achieves at least %.0f %% of the "
        + "offered rate and its p99 is at most %s ms. Order of the runs: as below, on one app and one database. "
        + "\"waiting before\": bench-noop jobs not yet run, suspended jobs, or open (queued/held) Lights-Out requests "
        + "at the step's start. CPU per accept: over the step's sending; for the executing baseline it includes the "
        + "execution of its instances meanwhile, and for every variant all else the app does meanwhile (see its idle "
        + "figure).", SUSTAINED * 100, fmt0(P99_BOUND_MS)));
    line("");
    for (Search search : List.of(noop, noopSuspended, held)) {
      search.table();
    }
    line("Verification: bench-noop instances that ended while their job definition was suspended: "
        + endedWhileSuspended + " (expected 0); Lights-Out requests of the held steps by status: " + heldStatuses
        + " (expected all queued).");
    line("");
    line("| variant | highest sustained rate (/s) | p99 there (ms) | app JVM CPU ms per accept | "
        + "PostgreSQL CPU ms per accept |");
    line("|---|---:|---:|---:|---:|");
    for (Search search : List.of(noop, noopSuspended, held)) {
      line(search.summary());
    }
    line("");
    if (held.best() != null && noopSuspended.best() != null) {
      double ratio = held.best().load.rate / noopSuspended.best().load.rate;
      line(String.format(Locale.ROOT, "Lights-Out held / bench-noop suspended: **%.2f** (target >= %.1f: %s); "
          + "Lights-Out held / bench-noop executing: %s. The rates are resolved to the last step or bisection, "
          + "so a ratio is good to about %.0f %%.", ratio, TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "not met",
          noop.best() == null ? "n/a"
              : String.format(Locale.ROOT, "%.2f", held.best().load.rate / noop.best().load.rate),
          (Math.pow(STEP, Math.pow(0.5, REFINE)) - 1) * 100));
    } else {
      line("No ratio: a variant sustained none of its steps (lower bench.start-rate).");
    }
    line("");
  }

  /** Steps up the offered rate until a step fails, then bisects; {@code afterStep} runs once a step is answered. */
  private Search search(String variant, Supplier<HttpRequest> next, int okStatus, Drain afterStep, String waitingQuery)
      throws Exception {
    Cpu idle = Cpu.of(app.pid(), db);
    Thread.sleep(IDLE.toMillis());
    Search search = new Search(variant, idle.used());
    double good = 0;
    double bad = 0;
    for (double rate = START_RATE; rate <= MAX_RATE; rate *= STEP) {
      if (search.step(rate, next, okStatus, afterStep, waitingQuery)) {
        good = rate;
      } else {
        bad = rate;
        break;
      }
    }
    for (int i = 0; i < REFINE && good > 0 && bad > 0; i++) {
      double rate = Math.sqrt(good * bad);
      if (search.step(rate, next, okStatus, afterStep, waitingQuery)) {
        good = rate;
      } else {
        bad = rate;
      }
    }
    return search;
  }

  /** Waits for what a step left running (if anything) before the next one starts. */
  private interface Drain {
    void await() throws Exception;
  }

  /** One variant's steps in the order they ran. */
  private final class Search {
    private final String variant;
    private final Cpu.Used idle;
    private final List<StepResult> steps = new ArrayList<>();

    Search(String variant, Cpu.Used idle) {
      this.variant = variant;
      this.idle = idle;
    }

    boolean step(double rate, Supplier<HttpRequest> next, int okStatus, Drain afterStep, String waitingQuery)
        throws Exception {
      analyze();
      int waitingBefore = count(waitingQuery);
      progress(String.format(Locale.ROOT, "B: %s, offering %.1f/s for %d s", variant, rate,
          STEP_DURATION.toSeconds()));
      Cpu cpu = Cpu.of(app.pid(), db);
      OpenLoop load = openLoop(rate, STEP_DURATION, next, okStatus);
      Cpu.Used used = cpu.used();
      afterStep.await();
      StepResult result = new StepResult(load, used, waitingBefore);
      steps.add(result);
      progress("  " + load.row() + (result.sustained() ? " sustained" : " NOT sustained"));
      return result.sustained();
    }

    StepResult best() {
      return steps.stream().filter(StepResult::sustained).max((a, b) -> Double.compare(a.load.rate, b.load.rate))
          .orElse(null);
    }

    void table() {
      line("### " + variant);
      line("");
      double seconds = IDLE.toSeconds();
      line(String.format(Locale.ROOT, "Idle for %.0f s before the first step: app JVM %.0f %% of a core, PostgreSQL "
          + "%.0f %%.", seconds, idle.appSeconds() * 100 / seconds, idle.postgresSeconds() * 100 / seconds));
      line("");
      line(OpenLoop.HEADER + " waiting before | app CPU ms/accept | PostgreSQL CPU ms/accept "
          + "| other processes' CPU (s) | sustained |");
      line(OpenLoop.RULE + "---:|---:|---:|---:|---|");
      for (StepResult step : steps) {
        line(step.load.row() + String.format(Locale.ROOT, " %d | %.1f | %.1f | %.1f | %s |", step.waitingBefore,
            step.appMsPerAccept(), step.postgresMsPerAccept(), step.used.otherSeconds(),
            step.sustained() ? "yes" : "no"));
      }
      line("");
      if (steps.stream().allMatch(StepResult::sustained)) {
        line("Every step was sustained up to bench.max-rate: its highest rate is a lower bound.");
        line("");
      }
      steps.forEach(step -> errorSamples(step.load));
    }

    String summary() {
      StepResult best = best();
      return best == null ? "| " + variant + " | none of the steps | | | |" : String.format(Locale.ROOT,
          "| %s | %.1f | %.1f | %.1f | %.1f |", variant, best.load.rate, best.load.percentile(99),
          best.appMsPerAccept(), best.postgresMsPerAccept());
    }
  }

  private record StepResult(OpenLoop load, Cpu.Used used, int waitingBefore) {
    boolean sustained() {
      return load.errorCount() == 0 && load.achieved() >= SUSTAINED * load.rate
          && load.percentile(99) <= P99_BOUND_MS;
    }

    double appMsPerAccept() {
      return used.appSeconds() * 1000 / Math.max(1, load.ok());
    }

    double postgresMsPerAccept() {
      return used.postgresSeconds() * 1000 / Math.max(1, load.ok());
    }
  }

  // ---------------------------------------------------------------------------------------------- load

  /**
   * Sends {@code rate * duration} requests, request i at t0 + i / rate, each with {@code sendAsync} so that sending
   * never waits for an answer; returns once every request was answered or failed.
   */
  private OpenLoop openLoop(double rate, Duration duration, Supplier<HttpRequest> next, int okStatus)
      throws InterruptedException {
    int total = Math.max(1, (int) Math.round(rate * duration.toNanos() / 1e9));
    long[] scheduled = new long[total];
    long[] answered = new long[total];
    String[] outcomes = new String[total];
    Map<String, String> samples = new ConcurrentHashMap<>();
    CountDownLatch pending = new CountDownLatch(total);
    long maxLag = 0;
    long t0 = System.nanoTime() + 10_000_000;
    for (int i = 0; i < total; i++) {
      long at = t0 + Math.round(i * 1e9 / rate);
      for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      maxLag = Math.max(maxLag, System.nanoTime() - at);
      scheduled[i] = at;
      int index = i;
      http.sendAsync(next.get(), HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
        answered[index] = System.nanoTime();
        if (answer == null) {
          outcomes[index] = failure.getClass().getSimpleName();
          samples.putIfAbsent(outcomes[index], String.valueOf(failure.getMessage()));
        } else if (answer.statusCode() != okStatus) {
          outcomes[index] = "HTTP " + answer.statusCode();
          samples.putIfAbsent(outcomes[index], abbreviate(answer.body()));
        }
        pending.countDown();
      });
    }
    if (!pending.await(REQUEST_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(pending.getCount() + " requests neither answered nor failed");
    }
    return new OpenLoop(rate, scheduled, answered, outcomes, new TreeMap<>(samples), maxLag);
  }

  /**
   * The outcome of one open-loop run: {@code outcomes[i]} is null for an answer of the expected status, else the
   * other status or the exception; {@code samples} holds the first answer body (or message) of each.
   */
  private record OpenLoop(double rate, long[] scheduled, long[] answered, String[] outcomes,
                          Map<String, String> samples, long maxLagNanos) {
    static final String HEADER = "| offered (/s) | sent | ok | achieved (/s) | median (ms) | p95 (ms) | p99 (ms) "
        + "| max (ms) | errors | generator max lag (ms) |";
    static final String RULE = "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|";

    int ok() {
      return (int) Arrays.stream(outcomes).filter(o -> o == null).count();
    }

    int errorCount() {
      return outcomes.length - ok();
    }

    long lastScheduledNanos() {
      return scheduled[scheduled.length - 1];
    }

    /**
     * Answers of the expected status per second, between the 1st and the 99th percentile of their arrival times:
     * a server that falls behind spreads its answers out, while one late answer at either end decides nothing.
     */
    double achieved() {
      long[] arrivals = IntStream.range(0, answered.length).filter(i -> outcomes[i] == null)
          .mapToLong(i -> answered[i]).sorted().toArray();
      int first = (int) (arrivals.length * 0.01);
      int last = (int) Math.ceil(arrivals.length * 0.99) - 1;
      return last <= first ? 0 : (last - first) / ((arrivals[last] - arrivals[first]) / 1e9);
    }

    /** Milliseconds from the scheduled send to the answer at the given percentile (nearest rank); 100 is the max. */
    double percentile(double p) {
      long[] latencies = new long[scheduled.length];
      for (int i = 0; i < latencies.length; i++) {
        latencies[i] = answered[i] - scheduled[i];
      }
      Arrays.sort(latencies);
      int rank = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
      return latencies[Math.max(0, Math.min(latencies.length - 1, rank))] / 1e6;
    }

    String errors() {
      Map<String, Integer> by = new TreeMap<>();
      Arrays.stream(outcomes).filter(o -> o != null).forEach(o -> by.merge(o, 1, Integer::sum));
      return by.isEmpty() ? "none" : by.toString();
    }

    String row() {
      return String.format(Locale.ROOT, "| %.1f | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.1f |", rate,
          outcomes.length, ok(), achieved(), percentile(50), percentile(95), percentile(99), percentile(100),
          errors(), maxLagNanos / 1e6);
    }
  }

  /** A paragraph with the first answer of each kind of error, if the run had any. */
  private void errorSamples(OpenLoop load) {
    if (!load.samples().isEmpty()) {
      line("Errors at " + fmt(load.rate()) + "/s, the first answer of each: " + load.samples());
      line("");
    }
  }

  /** {@code total} requests by {@code clients} threads, each sending its next request once the last was answered. */
  private ClosedLoop closedLoop(int total, int clients, IntFunction<HttpRequest> request) throws InterruptedException {
    int[] statuses = new int[total];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long firstEpochMillis = System.currentTimeMillis();
    for (int c = 0; c < clients; c++) {
      pool.execute(() -> {
        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
          try {
            statuses[i] = http.send(request.apply(i), HttpResponse.BodyHandlers.discarding()).statusCode();
          } catch (IOException e) {
            statuses[i] = -1;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
    }
    pool.shutdown();
    if (!pool.awaitTermination(30, TimeUnit.MINUTES)) {
      throw new IllegalStateException("closed-loop load did not finish");
    }
    return new ClosedLoop(statuses, firstEpochMillis);
  }

  /** Answers by status; -1 for a request that failed without one. */
  private record ClosedLoop(int[] statuses, long firstEpochMillis) {
    Map<Integer, Integer> statusCounts() {
      Map<Integer, Integer> by = new TreeMap<>();
      Arrays.stream(statuses).forEach(s -> by.merge(s, 1, Integer::sum));
      return by;
    }

    void require(int status, String what) {
      if (statusCounts().getOrDefault(status, 0) != statuses.length) {
        throw new IllegalStateException(what + ": expected " + statuses.length + " x " + status + ", got "
            + statusCounts());
      }
    }

    /** How many answered {@code status}; the others are logged. */
    int count(int status, String what) {
      int matching = statusCounts().getOrDefault(status, 0);
      if (matching != statuses.length) {
        progress(what + ": answers " + statusCounts());
      }
      return matching;
    }
  }

  /** The next power request of the round-robin: the next node, the opposite of that node's last action. */
  private synchronized HttpRequest nextPowerRequest(String reason) {
    int node = nextNode++ % NODES;
    nodeOn[node] = !nodeOn[node];
    return post("/api/v1/nodes/n" + node + "/power-requests", "{\"action\":\"" + (nodeOn[node] ? "on" : "off")
        + "\",\"reason\":\"" + reason + "\"}");
  }

  private HttpRequest post(String path, String json) {
    return HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", authorization).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private void deployNoop() throws IOException {
    String bpmn;
    try (InputStream in = AcceptBenchmark.class.getClassLoader().getResourceAsStream("bench/bench-noop.bpmn")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource bench/bench-noop.bpmn");
      }
      bpmn = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String boundary = "bench" + UUID.randomUUID();
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nbench-noop\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"bench-noop.bpmn\"; filename=\"bench-noop.bpmn\""
        + "\r\nContent-Type: application/octet-stream\r\n\r\n" + bpmn + "\r\n--" + boundary + "--\r\n";
    ApiClient.Response answer = api.send("POST", "/engine-rest/deployment/create", body,
        Map.of("Content-Type", "multipart/form-data; boundary=" + boundary));
    if (answer.status() != 200) {
      throw new IllegalStateException("deploying bench-noop: " + answer);
    }
  }

  // ---------------------------------------------------------------------------------------------- database

  /** Waits until {@code expected} requests of this reason are final; answers the epoch millis it saw them so. */
  private long awaitFinal(String reason, int expected) throws Exception {
    String query = "SELECT count(*) FROM lo_power_request WHERE reason = '" + reason + "' AND status IN " + FINAL;
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    for (int done = count(query); System.nanoTime() < deadline; done = count(query)) {
      if (done >= expected) {
        return System.currentTimeMillis();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("fewer than " + expected + " final within " + DRAIN_TIMEOUT + ": " + query);
  }

  private void awaitZero(String query) throws Exception {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (count(query) > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not 0 within " + DRAIN_TIMEOUT + ": " + query);
      }
      Thread.sleep(100);
    }
  }

  private void analyze() throws SQLException {
    try (Statement statement = sql.createStatement()) {
      statement.execute("ANALYZE");
    }
  }

  private int count(String query) throws SQLException {
    try (PreparedStatement statement = sql.prepareStatement(query); ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private Map<String, Integer> countBy(String query) throws SQLException {
    Map<String, Integer> counts = new TreeMap<>();
    try (PreparedStatement statement = sql.prepareStatement(query); ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
    }
    return counts;
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static List<String> extraAppArgs() {
    String extra = System.getProperty("bench.app-args", "").strip();
    return extra.isEmpty() ? List.of() : List.of(extra.split("[\\s;]+"));
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }

  private static String abbreviate(String body) {
    String flat = body.replaceAll("\\s+", " ");
    return flat.length() <= 80 ? flat : flat.substring(0, 80) + "...";
  }

  private void line(String text) {
    report.append(text).append('\n');
    System.out.println(text);
  }

}
