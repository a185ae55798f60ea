package io.lightsout.power;

/** What joining the queue came to. Rejected requests leave no row: nothing was accepted. */
public record JoinOutcome(Kind kind, Rejection rejection, String detail) {

  public enum Kind {
    /** Accepted and it is the node's turn: execute now. */
    RUN,
    /** Accepted behind other requests (or a hold): wait for the turn. */
    WAIT,
    /** Identical to the node's last open request: recorded as merged into it. */
    MERGED,
    /** Not accepted; {@link #rejection()} says why. */
    REJECTED;

    /** The status an accepted request was given by this outcome of its join. */
    RequestStatus acceptedStatus() {
      return switch (this) {
        case RUN -> RequestStatus.RUNNING;
        case WAIT -> RequestStatus.QUEUED;
        case MERGED -> RequestStatus.MERGED;
        case REJECTED -> throw new IllegalStateException("a rejected request has no status: nothing was stored");
      };
    }
  }

  public enum Rejection {
    UNKNOWN_NODE, INVALID, NODE_BUSY, QUEUE_FULL,
    /** The requester's Idempotency-Key names an earlier request of the last 24 h: nothing new. */
    DUPLICATE_KEY
  }

  static JoinOutcome of(Kind kind, String detail) {
    return new JoinOutcome(kind, null, detail);
  }

  static JoinOutcome rejected(Rejection rejection, String detail) {
    return new JoinOutcome(Kind.REJECTED, rejection, detail);
  }
}
