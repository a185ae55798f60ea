package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final MutableClock clock = new MutableClock();
  private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofSeconds(60), clock);

  @Test
  void anAddressWaitsAfterTooManyFailuresUntilItsWindowEnds() {
    throttle.failed("10.0.0.1");
    throttle.failed("10.0.0.1");
    assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();

    clock.advance(Duration.ofSeconds(20));
    throttle.failed("10.0.0.1");

    assertThat(throttle.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(40));
    assertThat(throttle.blockedFor("10.0.0.2")).as("another address").isEmpty();
    clock.advance(Duration.ofSeconds(40));
    assertThat(throttle.blockedFor("10.0.0.1")).as("window passed").isEmpty();
  }

  @Test
  void failuresOfAnEndedWindowDoNotCount() {
    throttle.failed("10.0.0.3");
    throttle.failed("10.0.0.3");
    clock.advance(Duration.ofSeconds(61));
    throttle.failed("10.0.0.3");

    assertThat(throttle.blockedFor("10.0.0.3")).isEmpty();
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
