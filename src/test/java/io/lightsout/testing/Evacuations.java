package io.lightsout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/** Waiting for an evacuation over the API, as a client would. */
public final class Evacuations {

  private Evacuations() {}

  /** The evacuation once it has this status; fails with its last state when the timeout passes first. */
  public static JsonNode awaitStatus(ApiClient client, String id, String status, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode read = null;
    while (Instant.now().isBefore(deadline)) {
      read = client.get("/api/v1/evacuations/" + id).json();
      if (read.get("status").asText().equals(status)) {
        return read;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError("evacuation " + id + " did not reach '" + status + "': " + read);
  }
}
