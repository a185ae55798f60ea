package io.lightsout.compute;

import java.util.List;
import java.util.Map;

/**
 * A compute service that places workload instances on hosts (DESIGN §6): what an evacuation asks of it.
 * Every operation may be repeated after a crash and must then do no harm: marking a host down twice is
 * harmless, and a {@link RebuildOrder} sent again must not start a second rebuild of the same claim.
 * Faults are {@link TransientComputeFault} (retry with backoff) or {@link FatalComputeFault} (do not retry);
 * both carry a message an operator understands, quoting the compute service where it answered.
 */
public interface ComputeDriver {

  /** The name {@code lightsout.compute.driver} refers to: {@code inventory} or {@code nova}. */
  String name();

  /**
   * Whether the compute service picks the target host itself (Nova's scheduler). When false, Lights-Out
   * picks a target with free capacity among its registered hosts and names it in the {@link RebuildOrder}.
   */
  boolean schedulesTargets();

  /**
   * Marks the (fenced) host down and disabled, so that nothing is scheduled there any more and its
   * instances may be rebuilt elsewhere.
   */
  void markHostDown(String hostId, String reason);

  /** The instances the compute service places on the host now. */
  List<ComputeInstance> instancesOn(String hostId);

  /**
   * Asks for the instance to be rebuilt on {@code order.toHost()} (or where the service chooses, when that
   * is null); returns once the compute service accepted the order, not when the rebuild is done.
   */
  void rebuild(RebuildOrder order);

  /** Where the instance is now, and in what state. */
  InstancePlacement placement(String instanceId);

  /**
   * Capacity units taken on each host by the instances placed there, for drivers that leave the choice of
   * target to Lights-Out ({@link #schedulesTargets()} false). Hosts without instances may be absent.
   */
  default Map<String, Integer> capacityInUse() {
    return Map.of();
  }
}
