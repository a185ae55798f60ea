package io.lightsout.power;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes that must outlive the caller's transaction (a BMC attempt counted, a confirmation, an attempt's progress),
 * each committed in a transaction of its own, and at most {@code lightsout.db.own-transactions} at once.
 *
 * <p>A job thread already holds one pool connection for its job's transaction, so each of these takes a second.
 * Unbounded, 32 job threads can ask for 64 connections at once and leave the API's calls waiting for one until they
 * answer 503. Bounded, the job executor never holds more than its threads plus this many, and the rest of the pool
 * stays for the API and the background work (README, {@code LIGHTSOUT_DB_POOL_SIZE}). A caller waiting here holds no
 * lock another transaction needs (its node row is written only after these), and every holder gives its permit back
 * within the pool's connection timeout, so the wait is bounded too.
 */
@Component
public class OwnTransactions {

  private final TransactionTemplate template;
  private final Semaphore permits;

  public OwnTransactions(PlatformTransactionManager transactions,
      @Value("${lightsout.db.own-transactions:4}") int atOnce) {
    if (atOnce < 1) {
      throw new IllegalArgumentException("lightsout.db.own-transactions must be at least 1, not " + atOnce);
    }
    this.template = new TransactionTemplate(transactions);
    this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.permits = new Semaphore(atOnce, true);
  }

  /** Runs {@code work} in a transaction of its own, committed when it returns. */
  public <T> T commit(Supplier<T> work) {
    permits.acquireUninterruptibly();
    try {
      return template.execute(status -> work.get());
    } finally {
      permits.release();
    }
  }

  /** Runs {@code work} in a transaction of its own, committed when it returns. */
  public void commit(Runnable work) {
    commit(() -> {
      work.run();
      return null;
    });
  }

  /** Permits free right now (for tests). */
  int available() {
    return permits.availablePermits();
  }
}
