package io.lightsout.compute.inventory;

import io.lightsout.compute.ComputeDriver;
import io.lightsout.compute.ComputeInstance;
import io.lightsout.compute.FatalComputeFault;
import io.lightsout.compute.Host;
import io.lightsout.compute.HostRepository;
import io.lightsout.compute.InstancePlacement;
import io.lightsout.compute.RebuildOrder;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The embedded compute driver: hosts and instances in Lights-Out's own tables. A rebuild first tells the
 * {@link RebuildWebhook} (when one is configured) and then records the new placement; a retried rebuild of the
 * same claim posts the same key and target again, so the receiver can recognize it.
 */
@Component
class InventoryDriver implements ComputeDriver {

  private final HostRepository hosts;
  private final InstanceRepository instances;
  private final RebuildWebhook webhook;
  private final Clock clock;

  InventoryDriver(HostRepository hosts, InstanceRepository instances, RebuildWebhook webhook, Clock clock) {
    this.hosts = hosts;
    this.instances = instances;
    this.webhook = webhook;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "inventory";
  }

  @Override
  public boolean schedulesTargets() {
    return false;
  }

  @Override
  public void markHostDown(String hostId, String reason) {
    hosts.find(hostId).orElseThrow(() -> new FatalComputeFault("host '" + hostId + "' is not in the inventory"));
    hosts.setState(hostId, Host.DOWN, clock.instant());
  }

  @Override
  public List<ComputeInstance> instancesOn(String hostId) {
    return instances.onHost(hostId).stream()
        .map(i -> new ComputeInstance(i.id(), i.hostId(), i.size(), i.state())).toList();
  }

  @Override
  public void rebuild(RebuildOrder order) {
    if (order.toHost() == null) {
      throw new FatalComputeFault("the inventory driver needs a target host for instance " + order.instanceId());
    }
    Instance instance = instances.find(order.instanceId()).orElseThrow(
        () -> new FatalComputeFault("instance '" + order.instanceId() + "' is no longer in the inventory"));
    if (instance.hostId().equals(order.toHost())) {
      return;
    }
    if (webhook.configured()) {
      webhook.post(order);
    }
    instances.place(order.instanceId(), order.toHost(), clock.instant());
  }

  @Override
  public Map<String, Integer> capacityInUse() {
    return instances.usedByHost();
  }

  @Override
  public InstancePlacement placement(String instanceId) {
    return instances.find(instanceId)
        .map(i -> new InstancePlacement(i.id(), i.hostId(), InstancePlacement.Status.SETTLED,
            "on host " + i.hostId() + " (" + i.state() + ")"))
        .orElseGet(() -> new InstancePlacement(instanceId, null, InstancePlacement.Status.GONE,
            "no longer in the inventory"));
  }
}
