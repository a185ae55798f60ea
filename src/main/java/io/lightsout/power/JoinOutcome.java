package io.lightsout.power;

/**
 * What joining the queue came to. Rejected requests leave no row: nothing was accepted. A request the join accepted
 * comes with its row as stored, the number of open requests ahead of it and its node's hold ({@link Joined}), so the
 * caller's answer needs no second read; a request placed earlier (a batch's item, a fence), whose process joins it
 * later, comes without: nobody waits for that answer.
 */
public record JoinOutcome(Kind kind, Rejection rejection, String detail, Joined joined) {

  /** The request as the join stored it, the number of open requests ahead of it, the node's hold. */
  public record Joined(PowerRequest request, int ahead, Hold nodeHold) {}

  public enum Kind {
    /** Accepted and it is the node's turn: execute now. */
    RUN,
    /** Accepted behind other requests (or a hold): wait for the turn. */
    WAIT,
    /** Identical to the node's last open request: recorded as merged into it. */
    MERGED,
    /** Placed earlier and cancelled or superseded before its process started: the process ends. */
    WITHDRAWN,
    /** Not accepted; {@link #rejection()} says why. */
    REJECTED
  }

  public enum Rejection {
    UNKNOWN_NODE, INVALID, NODE_BUSY, QUEUE_FULL,
    /** The requester's Idempotency-Key names an earlier request of the last 24 h: nothing new. */
    DUPLICATE_KEY
  }

  static JoinOutcome of(Kind kind, String detail) {
    return new JoinOutcome(kind, null, detail, null);
  }

  static JoinOutcome rejected(Rejection rejection, String detail) {
    return new JoinOutcome(Kind.REJECTED, rejection, detail, null);
  }

  JoinOutcome with(PowerRequest request, int ahead, Hold nodeHold) {
    return new JoinOutcome(kind, rejection, detail, new Joined(request, ahead, nodeHold));
  }
}
