package io.lightsout.power;

import io.lightsout.bmc.PowerAction;
import java.time.Instant;

/**
 * One thing somebody asked a node to do, as the queue table holds it. {@code reason} is why the
 * requester asked; {@code result} is what became of it.
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
    String ownerInstance) {

  PowerRequest withMerge(String into, String mergeResult) {
    return new PowerRequest(id, nodeId, sequence, action, status, reason, mergeResult, requestedBy, requestedAt,
        startedAt, finishedAt, attempts, into, ifBusy, idempotencyKey, callbackUrl, processInstanceId, ownerInstance);
  }
}
