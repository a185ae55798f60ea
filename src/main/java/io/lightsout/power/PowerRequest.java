package io.lightsout.power;

import io.lightsout.bmc.PowerAction;
import java.time.Instant;

/**
 * One thing somebody asked a node to do, as the queue table holds it. {@code reason} is why the
 * requester asked; {@code result} is what became of it. {@code fenceFor} names the evacuation a
 * fencing 'off' was placed for (DESIGN §9), null for every other request.
 */
public record PowerRequest(
    String id,
    String nodeId,
    long sequence,
    PowerAction action,
    RequestStatus status,
    String reason,
    String result,
    String requestedBy,
    Instant requestedAt,
    Instant startedAt,
    Instant finishedAt,
    int attempts,
    String mergedInto,
    IfBusy ifBusy,
    String idempotencyKey,
    String callbackUrl,
    String processInstanceId,
    String ownerInstance,
    String fenceFor) {

  /** Whether this is an evacuation's fencing 'off': it goes ahead of queued requests and past the node's hold. */
  public boolean fence() {
    return fenceFor != null;
  }

  PowerRequest withMerge(String into, String mergeResult) {
    return new PowerRequest(id, nodeId, sequence, action, status, reason, mergeResult, requestedBy, requestedAt,
        startedAt, finishedAt, attempts, into, ifBusy, idempotencyKey, callbackUrl, processInstanceId, ownerInstance, fenceFor);
  }
}
