package io.lightsout.bench;

import static io.lightsout.bench.BenchText.progress;

import io.lightsout.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * VACUUM ANALYZE of the whole database every few seconds on a connection of its own, standing in for autovacuum
 * (whose naptime is a minute by default): the PostgreSQL server of this machine runs with autovacuum off. Without
 * ANALYZE the planner keeps the statistics of the empty tables (and, for one, joins ACT_RU_EXECUTION to itself by a
 * full scan for every message correlation by business key once a load has filled it); without VACUUM the engine's
 * runtime tables, whose rows live for a second each, fill with dead rows that every scan reads (measured: ACT_RU_JOB
 * at 0 live and 17,681 dead rows, 7 MB, read by each job acquisition). {@code -Dbench.vacuum=false} runs ANALYZE
 * alone, as the benchmarks did before 2026-12-06.
 */
final class Analyzer implements AutoCloseable {

  private static final boolean VACUUM = Boolean.parseBoolean(System.getProperty("bench.vacuum", "true"));

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "bench-analyze");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicInteger runs = new AtomicInteger();

  /** Every {@code everySeconds} from now on; none for 0. */
  Analyzer(String db, int everySeconds) {
    if (everySeconds > 0) {
      timer.scheduleWithFixedDelay(() -> {
        try (Connection connection = DriverManager.getConnection(db, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement statement = connection.createStatement()) {
          statement.execute(statementName());
          runs.incrementAndGet();
        } catch (SQLException e) {
          progress(statementName() + " failed: " + e.getMessage());
        }
      }, everySeconds, everySeconds, TimeUnit.SECONDS);
    }
  }

  /** What runs: "VACUUM ANALYZE" or "ANALYZE". */
  static String statementName() {
    return VACUUM ? "VACUUM ANALYZE" : "ANALYZE";
  }

  int runs() {
    return runs.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
