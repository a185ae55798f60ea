package io.lightsout.bmc;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Who may talk to which BMC when, for every driver of this JVM: at most one session per BMC at a time, at most
 * {@code lightsout.bmc.max-concurrent-sessions} sessions fleet-wide, and at least
 * {@code lightsout.bmc.min-command-interval} between two state-changing commands to the same BMC.
 */
@Component
public class BmcGate {

  private final Semaphore sessions;
  private final int maxSessions;
  private final Duration minCommandInterval;
  private final Duration sessionWait;
  private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();

  public BmcGate(BmcProperties properties) {
    if (properties.getMaxConcurrentSessions() < 1) {
      throw new IllegalArgumentException("lightsout.bmc.max-concurrent-sessions must be at least 1");
    }
    if (properties.getMinCommandInterval().isNegative()) {
      throw new IllegalArgumentException("lightsout.bmc.min-command-interval must not be negative");
    }
    this.maxSessions = properties.getMaxConcurrentSessions();
    this.sessions = new Semaphore(maxSessions, true);
    this.minCommandInterval = properties.getMinCommandInterval();
    this.sessionWait = properties.getSessionWait();
  }

  /**
   * Waits until this BMC has no other session and a fleet-wide slot is free, for at most
   * {@code lightsout.bmc.session-wait}; throws {@link TransientBmcFault} when that wait runs out.
   */
  public Pass enter(String address) {
    Lane lane = lanes.computeIfAbsent(address, key -> new Lane());
    long deadline = System.nanoTime() + sessionWait.toNanos();
    try {
      if (!lane.lock.tryLock(sessionWait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new TransientBmcFault(address, "is busy: another session to it did not end within "
            + Durations.human(sessionWait));
      }
      try {
        if (!sessions.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          throw new TransientBmcFault(address, "was not contacted: all " + maxSessions
              + " fleet-wide BMC sessions stayed in use for " + Durations.human(sessionWait));
        }
      } catch (InterruptedException | RuntimeException e) {
        lane.lock.unlock();
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientBmcFault(address, "was not contacted: the operation was interrupted", e);
    }
    return new Pass(address, lane);
  }

  /** Sessions open fleet-wide right now. */
  public int openSessions() {
    return maxSessions - sessions.availablePermits();
  }

  /** The right to hold one session with one BMC; close it when the session ends. */
  public final class Pass implements AutoCloseable {

    private final String address;
    private final Lane lane;
    private boolean closed;

    private Pass(String address, Lane lane) {
      this.address = address;
      this.lane = lane;
    }

    /** Waits until a state-changing command may be sent to this BMC, and counts it as sent now. */
    public void awaitCommandSlot() {
      if (lane.lastCommandNanos != null) {
        long waitNanos = lane.lastCommandNanos + minCommandInterval.toNanos() - System.nanoTime();
        Pause.sleep(Duration.ofNanos(Math.max(0, waitNanos)), address);
      }
      lane.lastCommandNanos = System.nanoTime();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        sessions.release();
        lane.lock.unlock();
      }
    }
  }

  /** One BMC: its session lock and when it last got a state-changing command (guarded by the lock). */
  private static final class Lane {
    private final ReentrantLock lock = new ReentrantLock(true);
    private Long lastCommandNanos;
  }
}
