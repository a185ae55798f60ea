package io.lightsout.power;

import io.lightsout.bmc.PowerAction;

/** What the queue tells other concerns, synchronously, inside the transaction that made it so. */
public final class QueueEvents {

  private QueueEvents() {}

  /** A node's queue was newly held. */
  public record NodeHeld(String nodeId, Hold hold) {}

  /** An evacuation's fencing 'off' reached a final state: succeeded (the BMC reports off), failed or cancelled. */
  public record FenceSettled(String evacuationId, String requestId, RequestStatus status, String result) {}

  /** A node's hold was lifted. */
  public record NodeResumed(String nodeId, String by) {}

  /** A power request reached a final state (succeeded, failed, cancelled, merged, superseded). */
  public record RequestFinished(String requestId, PowerAction action, RequestStatus status) {}
}
