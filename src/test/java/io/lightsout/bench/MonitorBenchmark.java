package io.lightsout.bench;

import static io.lightsout.bench.BenchText.progress;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Issue 12, target 5: what the power monitor costs while it watches a fleet. One Lights-Out (the packaged jar, system
 * property {@code lightsout.jar}, started by {@link AppProcess} with the shipped JVM options) on a fresh PostgreSQL database, with
 * {@code bench.monitor-nodes} nodes of driver {@code sim} (latency 0), registered over the API as an operator would
 * (each registration reads its BMC once), and the power monitor on at {@code bench.monitor-interval}, its tick and
 * parallel reads at the application's defaults.
 *
 * <p>The window begins once the nodes are registered, the JVM has had {@code bench.monitor-settle} to settle, and the
 * first registered node is due again (one interval after its registration read), so that the monitor is at work. It
 * lasts at least one interval, and longer until every node was read again within it (at most three intervals).
 * Measured over the window: CPU of the app JVM and of the database's PostgreSQL backends, as % of one core; the app's
 * VmRSS every second (at the start, the most, at the end). Checked in the database at the end: every node's
 * {@code power_observed_at} lies inside the window, with no BMC error recorded. Run by
 * {@code scripts/bench/monitor.sh}; the report goes to {@code bench.out} (default
 * {@code target/benchmarks/monitor.md}).
 */
public final class MonitorBenchmark {

  private static final int NODES = Integer.getInteger("bench.monitor-nodes", 10_000);
  private static final Duration INTERVAL = Duration.parse(System.getProperty("bench.monitor-interval", "PT5M"));
  private static final Duration SETTLE = Duration.parse(System.getProperty("bench.monitor-settle", "PT30S"));
  private static final int CLIENTS = Integer.getInteger("bench.clients", 16);
  private static final Path OUT = Path.of(System.getProperty("bench.out", "target/benchmarks/monitor.md"));
  private static final String ADMIN_PASSWORD = "bench-admin-Pw9";
  private static final Duration POLL = Duration.ofSeconds(5);
  private static final double TARGET_CPU_PERCENT = 10;
  private static final long TARGET_RSS_MB = 768;

  private MonitorBenchmark() {}

  public static void main(String[] args) throws Exception {
    String db = TestDatabase.createSeparate();
    Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-monitor-");
    List<String> appArgs = new ArrayList<>(List.of("--lightsout.monitor.enabled=true",
        "--lightsout.monitor.interval=" + INTERVAL.toSeconds() + "s", "--lightsout.instance-id=bench",
        "--lightsout.secrets.key-file=" + work.resolve("secret.key")));
    appArgs.addAll(extraAppArgs());
    Map<String, String> env = Map.of("LIGHTSOUT_DB_URL", db, "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD, "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD);
    progress("starting Lights-Out on " + db + " with " + String.join(" ", appArgs));
    try (AppProcess app = AppProcess.start(work, env, appArgs.toArray(String[]::new))
        .awaitHealthy(Duration.ofSeconds(240));
         Connection sql = DriverManager.getConnection(db, TestDatabase.USER, TestDatabase.PASSWORD)) {
      long ownBackend = count(sql, "SELECT pg_backend_pid()");
      progress("registering " + NODES + " sim nodes with " + CLIENTS + " clients");
      long registerStart = System.nanoTime();
      register(app.as("admin", ADMIN_PASSWORD));
      double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
      // autovacuum is off on this server: stand in once for what it would do after 10,000 inserts
      try (Statement statement = sql.createStatement()) {
        statement.execute("VACUUM ANALYZE lo_node");
      }
      Instant firstDue = instant(sql, "SELECT min(power_observed_at) FROM lo_node").plus(INTERVAL);
      Instant start = later(Instant.now().plus(SETTLE), firstDue);
      progress(String.format(Locale.ROOT, "registered in %.1f s; the window begins at %s", registerSeconds, start));
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), start).toMillis()));

      Timestamp windowStart = timestamp(sql, "SELECT now()");
      Cpu cpu = Cpu.of(app.pid(), db);
      Window window = measure(sql, windowStart, new Sampler(app.pid(), database(db), ownBackend));
      Cpu.Used used = cpu.used();
      Timestamp windowEnd = timestamp(sql, "SELECT now()");

      long refreshed = count(sql, "SELECT count(*) FROM lo_node WHERE power_observed_at > ? AND power_observed_at <= ? "
          + "AND bmc_error IS NULL", windowStart, windowEnd);
      long errors = count(sql, "SELECT count(*) FROM lo_node WHERE bmc_error IS NOT NULL");
      double oldest = number(sql, "SELECT extract(epoch FROM now() - min(power_observed_at)) FROM lo_node");
      report(window, used, refreshed, errors, oldest, registerSeconds);
      app.stop();
    }
    System.exit(0);
  }

  /** Every node over the API, {@link #CLIENTS} at a time; each answer must be 201. */
  private static void register(ApiClient api) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<ApiClient.Response>> answers = new ArrayList<>(NODES);
      for (int i = 0; i < NODES; i++) {
        Map<String, Object> node = Map.of("id", "m" + i, "bmc", Map.of("driver", "sim", "host", "sim-" + i,
            "username", "admin", "password", "secret", "options", Map.of("latencyMs", "0")));
        answers.add(pool.submit(() -> api.post("/api/v1/nodes", node)));
      }
      for (Future<ApiClient.Response> answer : answers) {
        if (answer.get().status() != 201) {
          throw new IllegalStateException("registration failed: " + answer.get());
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  private record Window(double seconds, double allReadAfter, Sampler.Figures figures) {
  }

  /**
   * Samples until at least one interval has passed and every node was read since {@code windowStart}, or until three
   * intervals have passed; polls the database every {@link #POLL} on the benchmark's own connection.
   */
  private static Window measure(Connection sql, Timestamp windowStart, Sampler sampler) throws Exception {
    long begin = System.nanoTime();
    double allReadAfter = Double.NaN;
    try (sampler) {
      while (true) {
        Thread.sleep(POLL.toMillis());
        double elapsed = (System.nanoTime() - begin) / 1e9;
        long read = count(sql, "SELECT count(*) FROM lo_node WHERE power_observed_at > ?", windowStart);
        if (read >= NODES && Double.isNaN(allReadAfter)) {
          allReadAfter = elapsed;
        }
        if (elapsed >= INTERVAL.toSeconds() && read >= NODES || elapsed >= 3 * INTERVAL.toSeconds()) {
          progress(String.format(Locale.ROOT, "window over after %.0f s: %d of %d nodes read in it", elapsed, read,
              NODES));
          return new Window(elapsed, allReadAfter, sampler.figures());
        }
        if (Math.round(elapsed) % 60 < POLL.toSeconds()) {
          progress(String.format(Locale.ROOT, "  %.0f s: %d of %d nodes read in the window, app RSS %d MB", elapsed,
              read, NODES, sampler.figures().endKb() / 1024));
        }
      }
    }
  }

  private static void report(Window window, Cpu.Used used, long refreshed, long errors, double oldestSeconds,
      double registerSeconds) throws IOException {
    double appPercent = used.appSeconds() / window.seconds() * 100;
    double postgresPercent = window.figures().postgresSeconds() / window.seconds() * 100;
    long maxMb = window.figures().maxKb() / 1024;
    StringBuilder out = new StringBuilder();
    out.append("# Power monitor over ").append(NODES).append(" sim nodes, ")
        .append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)).append("\n\n");
    out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append("; app JVM ").append(AppProcess.jvmOptions())
        .append("; monitor interval ").append(INTERVAL)
        .append(", tick and parallel reads at the defaults; extra app args: ")
        .append(extraAppArgs().isEmpty() ? "none" : String.join(" ", extraAppArgs()))
        .append(String.format(Locale.ROOT, "; %d nodes registered in %.0f s by %d clients.%n%n", NODES,
            registerSeconds, CLIENTS));
    out.append("| window (s) | app CPU (% of one core) | PostgreSQL CPU (% of one core) "
        + "| app VmRSS at start / max / end (MB) | nodes read in the window | every node read after (s) "
        + "| oldest power state at the end (s) | BMC errors | machine busy | load average after |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    out.append(String.format(Locale.ROOT, "| %.0f | %.1f | %.1f | %d / %d / %d | %d of %d | %s | %.0f | %d | %.0f %% "
            + "| %s |%n%n", window.seconds(), appPercent, postgresPercent, window.figures().startKb() / 1024, maxMb,
        window.figures().endKb() / 1024, refreshed, NODES,
        Double.isNaN(window.allReadAfter()) ? "not within " + 3 * INTERVAL.toSeconds()
            : String.format(Locale.ROOT, "%.0f", window.allReadAfter()),
        oldestSeconds, errors, used.machineBusy() * 100, used.loadAverage()));
    out.append(String.format(Locale.ROOT, "Targets: app CPU < %.0f %% of one core: **%s**; RSS < %d MB: **%s**; "
            + "every node read in the window: **%s**.%n", TARGET_CPU_PERCENT, appPercent < TARGET_CPU_PERCENT ? "met"
            : "not met", TARGET_RSS_MB, maxMb < TARGET_RSS_MB ? "met" : "not met",
        refreshed == NODES ? "yes" : "no"));
    out.append("\nThe sim driver answers at once (latencyMs 0). \"Every node read after\" is as the benchmark polls "
        + "it, every " + POLL.toSeconds() + " s. PostgreSQL CPU sums every backend of the benchmark's database but the "
        + "benchmark's own, sampled each second, so that a connection the pool closes during the window keeps its "
        + "share. Autovacuum is off on this server: the benchmark ran VACUUM ANALYZE on lo_node once after the "
        + "registrations, none during the window.\n");
    System.out.print(out);
    Files.createDirectories(OUT.toAbsolutePath().getParent());
    Files.writeString(OUT, out);
    System.out.println("\nReport written to " + OUT);
  }

  /**
   * Every second: the app's VmRSS, and the CPU ticks of each PostgreSQL backend of the database except one (the
   * benchmark's). A backend seen first after the start counts from its own start.
   */
  private static final class Sampler implements AutoCloseable {
    private static final double HZ = 100.0;

    record Figures(long startKb, long maxKb, long endKb, double postgresSeconds) {
    }

    private final long appPid;
    private final String database;
    private final long excluded;
    private final Map<Long, Long> firstTicks;
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final long startKb;
    private long maxKb;
    private long endKb;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "bench-sampler");
      thread.setDaemon(true);
      return thread;
    });

    Sampler(long appPid, String database, long excluded) throws IOException {
      this.appPid = appPid;
      this.database = database;
      this.excluded = excluded;
      this.firstTicks = backends();
      this.lastTicks.putAll(firstTicks);
      this.startKb = rssKb(appPid);
      this.maxKb = startKb;
      this.endKb = startKb;
      timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    synchronized Figures figures() {
      long ticks = 0;
      for (Map.Entry<Long, Long> last : lastTicks.entrySet()) {
        ticks += last.getValue() - firstTicks.getOrDefault(last.getKey(), 0L);
      }
      return new Figures(startKb, maxKb, endKb, ticks / HZ);
    }

    private void sample() {
      try {
        long rss = rssKb(appPid);
        Map<Long, Long> now = backends();
        synchronized (this) {
          endKb = rss;
          maxKb = Math.max(maxKb, rss);
          lastTicks.putAll(now);
        }
      } catch (IOException e) {
        progress("sampling failed: " + e.getMessage());
      }
    }

    private Map<Long, Long> backends() throws IOException {
      Map<Long, Long> ticks = new HashMap<>();
      try (var dirs = Files.list(Path.of("/proc"))) {
        for (Path dir : dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
          long pid = Long.parseLong(dir.getFileName().toString());
          try {
            if (pid != excluded && Files.readString(dir.resolve("comm")).strip().equals("postgres")
                && Files.readString(dir.resolve("cmdline")).contains(" " + database + " ")) {
              ticks.put(pid, ticks(dir));
            }
          } catch (IOException gone) {
            // the backend ended meanwhile: its last sample stands
          }
        }
      }
      return ticks;
    }

    private static long ticks(Path dir) throws IOException {
      String stat = Files.readString(dir.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long rssKb(long pid) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
        }
      }
      throw new IOException("no VmRSS for process " + pid);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  private static String database(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private static List<String> extraAppArgs() {
    String extra = System.getProperty("bench.app-args", "").strip();
    return extra.isEmpty() ? List.of() : List.of(extra.split("[\\s;]+"));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static long count(Connection sql, String query, Object... params) throws SQLException {
    return (long) number(sql, query, params);
  }

  private static double number(Connection sql, String query, Object... params) throws SQLException {
    try (ResultSet rows = query(sql, query, params)) {
      rows.next();
      return rows.getDouble(1);
    }
  }

  private static Timestamp timestamp(Connection sql, String query) throws SQLException {
    try (ResultSet rows = query(sql, query)) {
      rows.next();
      return rows.getTimestamp(1);
    }
  }

  private static Instant instant(Connection sql, String query) throws SQLException {
    return timestamp(sql, query).toInstant();
  }

  private static ResultSet query(Connection sql, String query, Object... params) throws SQLException {
    PreparedStatement statement = sql.prepareStatement(query);
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
    statement.closeOnCompletion();
    return statement.executeQuery();
  }
}
