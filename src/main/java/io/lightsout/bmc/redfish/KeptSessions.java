package io.lightsout.bmc.redfish;

import io.lightsout.bmc.BmcSession;
import io.lightsout.bmc.ChassisCommand;
import io.lightsout.bmc.PowerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redfish sessions kept open between operations, at most one per BMC: an operation that ended well leaves its
 * session here, the next operation on that BMC takes it (no login, no logout), and a session nobody took within the
 * idle time is deleted, as is every kept session at {@link #close}. An operation that failed deletes its session at
 * once. A BMC that dropped a kept session answers 401, and the session logs in again once ({@link RedfishSession}).
 * <p>
 * At most one session per BMC at a time: operations on one BMC are serialized by the gate, and a session is either
 * lent to the one operation or kept here; an idle close runs under the kept session's monitor, so an operation that
 * comes meanwhile waits until the session is deleted before it opens the next one.
 */
final class KeptSessions implements AutoCloseable {

  /** A kept session, for the settings it was opened with ({@code owner}: a digest, never the password). */
  private static final class Kept {
    private final String owner;
    private final RedfishSession session;
    private ScheduledFuture<?> expiry;
    private boolean gone;

    private Kept(String owner, RedfishSession session) {
      this.owner = owner;
      this.session = session;
    }
  }

  private static final int CLOSING_THREADS = 8;

  private final Duration idle;
  private final ConcurrentMap<String, Kept> byBmc = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  KeptSessions(Duration idle) {
    if (idle.isNegative()) {
      throw new IllegalArgumentException("lightsout.bmc.redfish.session-idle must not be negative");
    }
    this.idle = idle;
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemonThreads("redfish-session-idle"));
    executor.setRemoveOnCancelPolicy(true);
    this.timer = executor;
  }

  /**
   * The session kept for this BMC, now the caller's alone; null when there is none. One kept for other settings (the
   * node's user, password or options changed) is deleted first. Call it holding the BMC's gate pass.
   */
  RedfishSession take(String address, String owner) {
    Kept kept = byBmc.get(address);
    if (kept == null) {
      return null;
    }
    synchronized (kept) {
      if (kept.gone) {
        return null; // deleted by its idle close, which this waited for
      }
      kept.gone = true;
      kept.expiry.cancel(false);
      byBmc.remove(address, kept);
    }
    if (!kept.owner.equals(owner)) {
      kept.session.close();
      return null;
    }
    return kept.session;
  }

  /**
   * Lends a session to one operation: closing the lent session keeps it for the next operation on this BMC, unless a
   * request of the operation failed (then the session is deleted at once).
   */
  BmcSession lend(String address, String owner, RedfishSession session) {
    return new Lent(address, owner, session);
  }

  /** Deletes every kept session now (as at their idle time); sessions given back afterwards are deleted at once. */
  void closeIdle() {
    List<Runnable> closes = new ArrayList<>();
    byBmc.forEach((address, kept) -> closes.add(() -> expire(address, kept)));
    if (closes.size() <= 1) {
      closes.forEach(Runnable::run);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(CLOSING_THREADS, closes.size()),
        daemonThreads("redfish-session-close"));
    try {
      closes.forEach(pool::execute);
    } finally {
      pool.shutdown();
    }
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** At shutdown: no more keeping, every kept session deleted. */
  @Override
  public void close() {
    closed = true;
    closeIdle();
    timer.shutdownNow();
  }

  private void keep(String address, String owner, RedfishSession session) {
    if (closed || idle.isZero()) {
      session.close();
      return;
    }
    Kept kept = new Kept(owner, session);
    synchronized (kept) {
      Kept previous = byBmc.put(address, kept);
      if (previous != null) { // not expected: operations on one BMC take its session before they give one back
        expire(address, previous);
      }
      kept.expiry = timer.schedule(() -> expire(address, kept), idle.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (closed) { // shutdown began meanwhile
      expire(address, kept);
    }
  }

  private void expire(String address, Kept kept) {
    synchronized (kept) {
      if (kept.gone) {
        return;
      }
      kept.gone = true;
      kept.expiry.cancel(false);
      kept.session.close();
      byBmc.remove(address, kept);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger number = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A kept or new session in the hands of one operation. */
  private final class Lent implements BmcSession {

    private final String address;
    private final String owner;
    private final RedfishSession session;
    private boolean failed;

    private Lent(String address, String owner, RedfishSession session) {
      this.address = address;
      this.owner = owner;
      this.session = session;
    }

    @Override
    public PowerState read() {
      try {
        return session.read();
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public boolean inTransition() {
      return session.inTransition();
    }

    @Override
    public void send(ChassisCommand command) {
      try {
        session.send(command);
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void close() {
      if (failed) {
        session.close();
      } else {
        keep(address, owner, session);
      }
    }
  }
}
