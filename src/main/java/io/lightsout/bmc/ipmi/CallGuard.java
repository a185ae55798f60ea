package io.lightsout.bmc.ipmi;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds every call into ipmi-java. The library waits for an answer in a loop without a deadline of its own and
 * relies on its message queue to report the timeout; should that report get lost, the caller would wait forever.
 * The guard interrupts a call that outlives its limit (the library's sleeps end on an interrupt).
 */
final class CallGuard implements AutoCloseable {

  /** A call into the library. */
  interface LibraryCall<T> {
    T call() throws Exception;
  }

  /** What a call that was cut off ended with. */
  static final class CutOff extends Exception {
    CutOff(Throwable cause) {
      super("the IPMI library did not return within its limit", cause);
    }
  }

  private final Duration limit;
  private final ScheduledExecutorService alarms = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "ipmi-call-guard");
    thread.setDaemon(true);
    return thread;
  });

  CallGuard(Duration limit) {
    this.limit = limit;
  }

  <T> T call(LibraryCall<T> call) throws Exception {
    Alarm alarm = new Alarm(Thread.currentThread());
    ScheduledFuture<?> scheduled = alarms.schedule(alarm::ring, limit.toNanos(), TimeUnit.NANOSECONDS);
    try {
      return call.call();
    } catch (Exception e) {
      throw alarm.rang() ? new CutOff(e) : e;
    } finally {
      scheduled.cancel(false);
      if (alarm.disarm()) {
        Thread.interrupted(); // the interrupt was ours, not the caller's
      }
    }
  }

  @Override
  public void close() {
    alarms.shutdownNow();
  }

  private static final class Alarm {
    private final Thread caller;
    private boolean done;
    private boolean rang;

    Alarm(Thread caller) {
      this.caller = caller;
    }

    synchronized void ring() {
      if (!done) {
        rang = true;
        caller.interrupt();
      }
    }

    synchronized boolean rang() {
      return rang;
    }

    /** Ends the alarm; whether it rang. */
    synchronized boolean disarm() {
      done = true;
      return rang;
    }
  }
}
