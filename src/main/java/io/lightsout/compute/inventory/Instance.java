package io.lightsout.compute.inventory;

import java.time.Instant;

/** A workload instance of the inventory driver: where it runs and the capacity it takes there. */
public record Instance(String id, String hostId, int size, String state, Instant createdAt, Instant updatedAt) {

  public static final String ACTIVE = "active";
}
