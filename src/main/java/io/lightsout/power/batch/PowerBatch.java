package io.lightsout.power.batch;

import java.time.Instant;

/** A batch of power requests: who sent it, when, how many items, and the key and body hash it was sent with. */
public record PowerBatch(String id, String requestedBy, Instant requestedAt, int itemCount, String idempotencyKey,
                         String bodyHash) {
}
