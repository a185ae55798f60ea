package io.lightsout.evacuation;

import java.time.Instant;

/**
 * One evacuation of a failed host (DESIGN §9), as its table holds it. {@code reason} is why it was asked for;
 * {@code result} how it ended. Fencing: {@code pending}, {@code confirmed} (by the BMC or an operator, see
 * {@code fencedBy}), {@code unconfirmed} (waiting for an operator) or {@code aborted}.
 */
public record Evacuation(
    String id,
    String hostId,
    String nodeId,
    String status,
    String reason,
    String result,
    String requestedBy,
    Instant requestedAt,
    Instant finishedAt,
    String fenceRequestId,
    String fencingStatus,
    String fencedBy,
    Instant fencedAt,
    String fencingDetail,
    String processInstanceId) {

  public static final String RUNNING = "running";
  public static final String WAITING_FOR_OPERATOR = "waiting-for-operator";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  public static final String FENCING_PENDING = "pending";
  public static final String FENCING_CONFIRMED = "confirmed";
  public static final String FENCING_UNCONFIRMED = "unconfirmed";
  public static final String FENCING_ABORTED = "aborted";

  public boolean active() {
    return RUNNING.equals(status) || WAITING_FOR_OPERATOR.equals(status);
  }
}
