package io.lightsout.power;

/**
 * What joining the queue came to. Rejected requests leave no row: nothing was accepted. A request placed in its
 * queue before its process started (a batch's item, an evacuation's fence) is joined by that process later; the
 * outcome then names who placed it.
 */
public record JoinOutcome(Kind kind, Rejection rejection, String detail, String placedBy) {

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
    REJECTED;

    /** The status an accepted request was given by this outcome of its join. */
    RequestStatus acceptedStatus() {
      return switch (this) {
        case RUN -> RequestStatus.RUNNING;
        case WAIT -> RequestStatus.QUEUED;
        case MERGED -> RequestStatus.MERGED;
        case WITHDRAWN, REJECTED -> throw new IllegalStateException("a " + this + " join accepts nothing new");
      };
    }
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

  JoinOutcome placedBy(String requestedBy) {
    return new JoinOutcome(kind, rejection, detail, requestedBy);
  }
}
