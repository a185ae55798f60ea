package io.lightsout.power;

import java.time.Instant;

/**
 * A power request as the API and callbacks show it (DESIGN §4). {@code position} is 0 for the
 * running request, 1 for the next one, and absent once final. A request waiting behind its node's
 * hold reads {@code held}, with that hold (DESIGN §3: it goes back to {@code queued} on resume); an
 * evacuation's fencing 'off' passes the hold and stays {@code queued}. The answer to an accept that
 * could not read the request back (the database went away right after the commit) has only what the accept
 * knows: {@code sequence}, {@code position} and the times are then absent.
 */
public record PowerRequestView(
    String id,
    String nodeId,
    String action,
    String status,
    String reason,
    String result,
    Long sequence,
    Integer position,
    int attempts,
    String requestedBy,
    Instant requestedAt,
    Instant startedAt,
    Instant finishedAt,
    String mergedInto,
    String ifBusy,
    String processInstanceId,
    HoldView hold) {}
