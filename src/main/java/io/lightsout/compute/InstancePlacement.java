package io.lightsout.compute;

/**
 * Where an instance is and how it is, as read from the compute service.
 *
 * @param instanceId the instance
 * @param hostId     the host it is placed on now (null when the service does not say)
 * @param status     how the rebuild stands, judged by the driver
 * @param detail     the service's own words (status, task state, migration status), for people
 */
public record InstancePlacement(String instanceId, String hostId, Status status, String detail) {

  public enum Status {
    /** Running (or stopped, as it was before) and settled: no rebuild under way. */
    SETTLED,
    /** A rebuild is under way: read again later. */
    REBUILDING,
    /** The compute service reports the instance in error. */
    ERROR,
    /** The compute service does not know the instance (any more). */
    GONE
  }
}
