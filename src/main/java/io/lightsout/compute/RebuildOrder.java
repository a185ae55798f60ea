package io.lightsout.compute;

import java.time.Instant;

/**
 * One claimed instance to rebuild elsewhere. The same order (same key, same target) is sent again when a
 * rebuild step is retried or resumed after a crash.
 *
 * @param evacuationId   the evacuation that owns the instance
 * @param instanceId     the instance
 * @param fromHost       the failed host
 * @param toHost         the chosen target, or null when the compute service schedules it
 * @param idempotencyKey the same on every retry of this claim: {@code <evacuationId>/<instanceId>}
 *                       (with {@code /<n>} appended when an operator chose an n-th target)
 * @param claimedAt      when the claim was recorded: work of the compute service older than this is not this claim's
 */
public record RebuildOrder(String evacuationId, String instanceId, String fromHost, String toHost,
                           String idempotencyKey, Instant claimedAt) {}
