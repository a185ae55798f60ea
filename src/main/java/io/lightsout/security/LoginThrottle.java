package io.lightsout.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed log-ins counted per client address in fixed windows: an address with too many failures is
 * refused for the rest of its window, whoever it claims to be. A user account is never locked, so
 * nobody can lock out the holder of the right password by guessing wrong. At most one log line per
 * address and window; never a password, nor the user name typed (it may be a password typed in the wrong field).
 */
public class LoginThrottle {

  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
  /** Addresses remembered at most; expired ones are dropped first when the table grows past it. */
  private static final int MAX_ADDRESSES = 10_000;

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public LoginThrottle(int maxFailures, Duration window, Clock clock) {
    if (maxFailures < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("login throttle needs max-failures >= 1 and a positive window");
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.clock = clock;
  }

  /** How long the address must wait before it may try again, or empty when it may try now. */
  public Optional<Duration> blockedFor(String address) {
    Window current = windows.get(address);
    Instant now = clock.instant();
    if (current == null || current.expired(now, window) || current.failures < maxFailures) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, current.start.plus(window)));
  }

  /** Counts a failed log-in of the address. */
  public void failed(String address) {
    Instant now = clock.instant();
    if (windows.size() >= MAX_ADDRESSES) {
      windows.values().removeIf(w -> w.expired(now, window));
    }
    Window current = windows.compute(address, (a, w) -> w == null || w.expired(now, window) ? new Window(now) : w);
    boolean first;
    synchronized (current) {
      current.failures++;
      first = current.failures == 1;
    }
    if (first) {
      LOG.warn("Failed log-in from {}; after {} failures within {} s that address is refused (429) until the "
          + "window ends. Further failures in this window are not logged.", address, maxFailures, window.toSeconds());
    }
  }

  private static final class Window {
    private final Instant start;
    private int failures;

    private Window(Instant start) {
      this.start = start;
    }

    private boolean expired(Instant now, Duration window) {
      return !now.isBefore(start.plus(window));
    }
  }
}
