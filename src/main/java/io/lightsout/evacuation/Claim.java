package io.lightsout.evacuation;

import java.time.Instant;

/**
 * An evacuation's ownership of one instance, with the target chosen once when it was claimed. States:
 * {@code pending} (waiting for a rebuild slot), {@code rebuilding}, {@code placed},
 * {@code waiting-for-operator}, {@code given-up}, and {@code skipped} (another evacuation owns it).
 */
public record Claim(
    String evacuationId,
    String instanceId,
    String fromHost,
    int size,
    String targetHost,
    int targetRound,
    String state,
    boolean inSlot,
    int attempts,
    String lastError,
    String placedOn,
    Instant claimedAt,
    Instant rebuildStartedAt,
    Instant finishedAt) {

  public static final String PENDING = "pending";
  public static final String REBUILDING = "rebuilding";
  public static final String PLACED = "placed";
  public static final String WAITING_FOR_OPERATOR = "waiting-for-operator";
  public static final String GIVEN_UP = "given-up";
  public static final String SKIPPED = "skipped";

  /** The key the compute service sees on every retry of this claim (and of this target). */
  public String idempotencyKey() {
    return evacuationId + "/" + instanceId + (targetRound > 1 ? "/" + targetRound : "");
  }
}
