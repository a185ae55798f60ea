package io.lightsout.power;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Delivers the callback outbox: {@code POST} of the request JSON, retried with exponential backoff
 * (2 s doubling to 5 min) up to {@code lightsout.callbacks.max-attempts}. Each due row is claimed with
 * a conditional update, so several engine instances never deliver the same attempt twice.
 * The allow-list is checked again at delivery: a list narrowed since acceptance wins.
 */
@Component
class CallbackDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackDispatcher.class);
  private static final Duration CLAIM = Duration.ofSeconds(60);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final JdbcTemplate jdbc;
  private final CallbackPolicy policy;
  private final Clock clock;
  private final int maxAttempts;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  CallbackDispatcher(JdbcTemplate jdbc, CallbackPolicy policy, Clock clock,
      @Value("${lightsout.callbacks.max-attempts:10}") int maxAttempts) {
    this.jdbc = jdbc;
    this.policy = policy;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  private record Due(long id, String requestId, String url, String payload, int attempts, Instant nextAttemptAt) {}

  @Scheduled(fixedDelayString = "${lightsout.callbacks.poll-interval:1s}")
  void deliverDue() {
    Instant now = clock.instant();
    List<Due> due = jdbc.query("SELECT id, request_id, url, payload, attempts, next_attempt_at FROM lo_callback "
            + "WHERE delivered_at IS NULL AND attempts < ? AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 20",
        (rs, n) -> new Due(rs.getLong("id"), rs.getString("request_id"), rs.getString("url"), rs.getString("payload"),
            rs.getInt("attempts"), Sql.instant(rs, "next_attempt_at")), maxAttempts, Sql.ts(now));
    for (Due callback : due) {
      if (claim(callback, now)) {
        deliver(callback);
      }
    }
  }

  private boolean claim(Due callback, Instant now) {
    return jdbc.update("UPDATE lo_callback SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? "
        + "AND delivered_at IS NULL", Sql.ts(now.plus(CLAIM)), callback.id(), Sql.ts(callback.nextAttemptAt())) == 1;
  }

  private void deliver(Due callback) {
    int attempt = callback.attempts() + 1;
    String error = policy.refusal(callback.url()).orElse(null);
    if (error == null) {
      try {
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(callback.url()))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
            .header("User-Agent", "Lights-Out callback").POST(HttpRequest.BodyPublishers.ofString(callback.payload()))
            .build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 == 2) {
          jdbc.update("UPDATE lo_callback SET delivered_at = ?, attempts = ?, last_error = NULL WHERE id = ?",
              Sql.ts(clock.instant()), attempt, callback.id());
          return;
        }
        error = "answered HTTP " + answer.statusCode();
      } catch (java.io.IOException e) {
        error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    Duration backoff = Duration.ofSeconds(2L << Math.min(attempt - 1, 16));
    Instant next = clock.instant().plus(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
    jdbc.update("UPDATE lo_callback SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
        attempt, Sql.ts(next), error.length() > 1000 ? error.substring(0, 1000) : error, callback.id());
    if (attempt >= maxAttempts) {
      LOG.warn("Gave up the callback of power request {} to {} after {} attempts: {}", callback.requestId(),
          callback.url(), attempt, error);
    } else {
      LOG.debug("Callback of power request {} failed (attempt {}): {}", callback.requestId(), attempt, error);
    }
  }
}
