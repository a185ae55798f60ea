package io.lightsout.compute;

/**
 * A workload instance as the compute service lists it.
 *
 * @param id     the compute service's id of the instance
 * @param hostId the host it is placed on
 * @param size   capacity units it takes on a host (1 when the service does not say)
 * @param state  the service's state of it, in its own words (e.g. {@code active}, {@code ACTIVE}, {@code SHUTOFF})
 */
public record ComputeInstance(String id, String hostId, int size, String state) {}
