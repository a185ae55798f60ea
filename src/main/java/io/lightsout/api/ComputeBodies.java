package io.lightsout.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lightsout.compute.Host;
import io.lightsout.compute.inventory.Instance;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** JSON bodies of {@code /api/v1/hosts}, {@code /api/v1/instances} and evacuation starts. */
final class ComputeBodies {

  private ComputeBodies() {}

  record HostInput(@Size(max = 63) String id, @Size(max = 63) String node, Integer capacity) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record HostView(String id, String node, int capacity, String state, String evacuation, Instant createdAt) {
    static HostView of(Host host, String evacuation) {
      return new HostView(host.id(), host.nodeId(), host.capacity(), host.state(), evacuation, host.createdAt());
    }
  }

  record HostChange(Integer capacity, @Size(max = 16) String state) {}

  record InstanceInput(@Size(max = 63) String id, @Size(max = 63) String host, Integer size) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record InstanceView(String id, String host, int size, String state, String evacuation, Instant createdAt,
                      Instant updatedAt) {
    static InstanceView of(Instance instance, String evacuation) {
      return new InstanceView(instance.id(), instance.hostId(), instance.size(), instance.state(), evacuation,
          instance.createdAt(), instance.updatedAt());
    }
  }

  record EvacuationInput(@Size(max = 1000) String reason) {}
}
