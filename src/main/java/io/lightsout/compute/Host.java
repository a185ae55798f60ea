package io.lightsout.compute;

import java.time.Instant;

/**
 * A compute host as Lights-Out knows it: its BMC node (what fencing powers off), the capacity it offers
 * to rebuilt instances (inventory driver), and its state: {@code up}, {@code evacuating} or {@code down}.
 */
public record Host(String id, String nodeId, int capacity, String state, Instant createdAt, Instant updatedAt) {

  public static final String UP = "up";
  public static final String EVACUATING = "evacuating";
  public static final String DOWN = "down";
}
