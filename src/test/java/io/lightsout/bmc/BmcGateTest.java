package io.lightsout.bmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BmcGateTest {

  @Test
  void neverMoreSessionsFleetWideThanTheLimit() throws Exception {
    BmcGate gate = new BmcGate(properties(4, Duration.ZERO, Duration.ofSeconds(10)));
    AtomicInteger open = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(20);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String address = "10.0.0." + i + ":623";
      done.add(threads.submit(() -> {
        try (BmcGate.Pass pass = gate.enter(address)) {
          peak.accumulateAndGet(open.incrementAndGet(), Math::max);
          Thread.sleep(50);
          open.decrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> future : done) {
      future.get(10, TimeUnit.SECONDS);
    }
    threads.shutdown();

    assertThat(peak.get()).isEqualTo(4);
    assertThat(gate.openSessions()).isZero();
  }

  @Test
  void oneSessionPerBmcAndABusyBmcIsATransientFaultAfterTheWait() throws Exception {
    BmcGate gate = new BmcGate(properties(32, Duration.ZERO, Duration.ofMillis(200)));
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (BmcGate.Pass held = gate.enter("10.0.0.5:623")) {
      Future<?> second = other.submit(() -> gate.enter("10.0.0.5:623").close());

      assertThat(other.submit(() -> {
        gate.enter("10.0.0.6:623").close();
        return true;
      }).get(1, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> second.get(2, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TransientBmcFault.class)
          .cause().hasMessage("BMC 10.0.0.5:623 is busy: another session to it did not end within 200 ms");
    } finally {
      other.shutdown();
    }
    assertThat(gate.openSessions()).isZero();
  }

  @Test
  void stateChangingCommandsToOneBmcKeepTheMinimumIntervalAcrossSessions() {
    BmcGate gate = new BmcGate(properties(32, Duration.ofMillis(150), Duration.ofSeconds(1)));
    List<Long> sent = new ArrayList<>();
    for (int session = 0; session < 2; session++) {
      try (BmcGate.Pass pass = gate.enter("10.0.0.5:623")) {
        for (int command = 0; command < 2; command++) {
          pass.awaitCommandSlot();
          sent.add(System.nanoTime());
        }
      }
    }
    try (BmcGate.Pass other = gate.enter("10.0.0.6:623")) {
      long before = System.nanoTime();
      other.awaitCommandSlot();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(100));
    }

    for (int i = 1; i < sent.size(); i++) {
      assertThat(Duration.ofNanos(sent.get(i) - sent.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
  }

  @Test
  void aMinimumIntervalOfZeroDoesNotWait() {
    BmcGate gate = new BmcGate(properties(32, Duration.ZERO, Duration.ofSeconds(1)));
    long before = System.nanoTime();
    try (BmcGate.Pass pass = gate.enter("10.0.0.5:623")) {
      for (int i = 0; i < 100; i++) {
        pass.awaitCommandSlot();
      }
    }
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(500));
  }

  private static BmcProperties properties(int maxSessions, Duration minInterval, Duration sessionWait) {
    BmcProperties properties = new BmcProperties();
    properties.setMaxConcurrentSessions(maxSessions);
    properties.setMinCommandInterval(minInterval);
    properties.setSessionWait(sessionWait);
    return properties;
  }
}
