package io.lightsout.power;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Callbacks are written in the same transaction as the final state they report (a transactional
 * outbox), so none is lost or sent for a state that rolled back; {@code CallbackDispatcher} delivers them.
 */
@Component
public class CallbackOutbox {

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;
  private final PowerRequestViews views;

  CallbackOutbox(JdbcTemplate jdbc, ObjectMapper json, PowerRequestViews views) {
    this.jdbc = jdbc;
    this.json = json;
    this.views = views;
  }

  void enqueue(PowerRequest request, Instant now) {
    if (request.callbackUrl() == null) {
      return;
    }
    try {
      String payload = json.writeValueAsString(views.view(request));
      jdbc.update("INSERT INTO lo_callback (request_id, url, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)",
          request.id(), request.callbackUrl(), payload, Sql.ts(now), Sql.ts(now));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the callback of request " + request.id(), e);
    }
  }
}
