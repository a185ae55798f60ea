package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.lightsout.testing.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Job threads that hold their job's connection and each want a second one for a write of its own leave the rest of a
 * real Hikari pool to the API only when those writes are bounded: with 4 job threads on a pool of 6, unbounded they
 * ask for 8 (every connection taken, two more waiting, an API call queued behind them); bounded to one at a time they
 * hold 5, and an API call gets the sixth at once.
 */
class OwnTransactionsTest {

  private static final int POOL = 6;
  private static final int JOB_THREADS = 4;

  private final HikariDataSource pool = pool();
  private final DataSourceTransactionManager transactions = new DataSourceTransactionManager(pool);
  private final CountDownLatch finish = new CountDownLatch(1);
  private final List<Thread> jobs = new ArrayList<>();

  private static HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(TestDatabase.url());
    config.setUsername(TestDatabase.USER);
    config.setPassword(TestDatabase.PASSWORD);
    config.setMaximumPoolSize(POOL);
    config.setConnectionTimeout(5_000);
    return new HikariDataSource(config);
  }

  @AfterEach
  void release() throws InterruptedException {
    finishJobs();
    pool.close();
  }

  @Test
  void boundedWritesOfTheirOwnLeaveTheApiAConnection() throws Exception {
    OwnTransactions own = new OwnTransactions(transactions, 1);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();

    startJobs(own, inside, mostAtOnce);
    awaitActive(JOB_THREADS + 1);

    try (Connection api = pool.getConnection()) {
      assertThat(api.isValid(1)).isTrue();
    }
    assertThat(own.available()).isZero();
    finishJobs();
    assertThat(mostAtOnce).hasValue(1);
    assertThat(own.available()).isEqualTo(1);
  }

  @Test
  void unboundedTheJobThreadsTakeThePoolAndTheApiQueuesBehindThem() throws Exception {
    OwnTransactions own = new OwnTransactions(transactions, JOB_THREADS);

    startJobs(own, new AtomicInteger(), new AtomicInteger());
    awaitActive(POOL);

    // every connection taken by the job threads, and two of them still asking: an API call would queue behind them
    awaitPool(HikariPoolMXBean::getThreadsAwaitingConnection, 2 * JOB_THREADS - POOL);
    assertThat(pool.getHikariPoolMXBean().getIdleConnections()).isZero();
  }

  /** Each job thread holds its job's transaction (a connection) and commits a write of its own that stays open. */
  private void startJobs(OwnTransactions own, AtomicInteger inside, AtomicInteger mostAtOnce) {
    TransactionTemplate job = new TransactionTemplate(transactions);
    for (int i = 0; i < JOB_THREADS; i++) {
      Thread thread = new Thread(() -> job.executeWithoutResult(status -> own.commit(() -> {
        mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
          finish.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        inside.decrementAndGet();
      })), "job-" + i);
      jobs.add(thread);
      thread.start();
    }
  }

  private void awaitActive(int connections) throws InterruptedException {
    awaitPool(HikariPoolMXBean::getActiveConnections, connections);
  }

  /** Waits up to 10 s until the pool's figure reaches {@code expected}, then asserts it is exactly that. */
  private void awaitPool(ToIntFunction<HikariPoolMXBean> figure, int expected) throws InterruptedException {
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (figure.applyAsInt(bean) < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(figure.applyAsInt(bean)).isEqualTo(expected);
  }

  private void finishJobs() throws InterruptedException {
    finish.countDown();
    for (Thread job : jobs) {
      job.join(10_000);
    }
  }
}
