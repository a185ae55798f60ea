package io.lightsout.power;

import java.util.Optional;
import java.util.regex.Pattern;

/** A request to join a node's queue, as the process start gives it (raw values; the queue validates). */
public record JoinCommand(
    String requestId,
    String nodeId,
    String action,
    String ifBusy,
    String requestedBy,
    String reason,
    String callbackUrl,
    String idempotencyKey,
    String processInstanceId) {

  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** What is wrong with a command that may come straight from the engine REST API, if anything. */
  static Optional<String> invalidity(JoinCommand c) {
    if (c.requestId() == null || !UUID.matcher(c.requestId()).matches()) {
      return Optional.of("the business key must be empty or a request id (a lower-case UUID), not '" + c.requestId() + "'");
    }
    if (c.nodeId() == null || c.nodeId().isBlank()) {
      return Optional.of("nodeId is required");
    }
    return tooLong("nodeId", c.nodeId(), 63).or(() -> tooLong("reason", c.reason(), 1000))
        .or(() -> tooLong("callbackUrl", c.callbackUrl(), 2000))
        .or(() -> tooLong("idempotencyKey", c.idempotencyKey(), 200))
        .or(() -> tooLong("requestedBy", c.requestedBy(), 128));
  }

  private static Optional<String> tooLong(String name, String value, int max) {
    return value != null && value.length() > max
        ? Optional.of(name + " is longer than " + max + " characters") : Optional.empty();
  }
}
