package io.lightsout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Waiting over the API for power requests to end. */
public final class PowerRequestWaits {

  /** The statuses a request never leaves (DESIGN §3). */
  public static final List<String> FINAL = List.of("succeeded", "failed", "cancelled", "merged", "superseded");

  private PowerRequestWaits() {}

  /** The request once final; fails when it does not exist (lost) or is not final within the timeout. */
  public static JsonNode awaitFinal(ApiClient client, String id, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode request = null;
    while (Instant.now().isBefore(deadline)) {
      ApiClient.Response answer = client.get("/api/v1/power-requests/" + id);
      assertThat(answer.status()).as("request " + id + " exists").isEqualTo(200);
      request = answer.json();
      if (FINAL.contains(request.get("status").asText())) {
        return request;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("request " + id + " not final within " + timeout + ": " + request);
  }
}
