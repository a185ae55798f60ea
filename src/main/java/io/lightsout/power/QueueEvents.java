package io.lightsout.power;

/** What the queue tells other concerns, synchronously, inside the transaction that made it so. */
public final class QueueEvents {

  private QueueEvents() {}

  /** A node's queue was newly held. */
  public record NodeHeld(String nodeId, Hold hold) {}

  /** A node's hold was lifted. */
  public record NodeResumed(String nodeId, String by) {}
}
