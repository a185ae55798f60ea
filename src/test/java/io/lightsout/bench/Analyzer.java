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
 * ANALYZE of the whole database every few seconds on a connection of its own, standing in for autovacuum: the
 * PostgreSQL server of this machine runs with autovacuum off, so without it the planner keeps the statistics of the
 * empty tables (and, for one, joins ACT_RU_EXECUTION to itself by a full scan for every message correlation by
 * business key once a load has filled it).
 */
final class Analyzer implements AutoCloseable {

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
          statement.execute("ANALYZE");
          runs.incrementAndGet();
        } catch (SQLException e) {
          progress("ANALYZE failed: " + e.getMessage());
        }
      }, everySeconds, everySeconds, TimeUnit.SECONDS);
    }
  }

  int runs() {
    return runs.get();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
