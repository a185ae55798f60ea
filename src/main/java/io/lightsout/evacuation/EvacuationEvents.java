package io.lightsout.evacuation;

/** What the evacuation steps tell other concerns, inside the transaction that made it so. */
public final class EvacuationEvents {

  private EvacuationEvents() {}

  /** An evacuation ended: succeeded or failed. */
  public record Settled(String evacuationId, String status) {}

  /** An instance's claim ended: placed, given up, or skipped (owned by another evacuation). */
  public record InstanceSettled(String evacuationId, String instanceId, String state) {}
}
