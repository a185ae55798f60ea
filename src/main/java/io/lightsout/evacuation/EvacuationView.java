package io.lightsout.evacuation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** An evacuation as people read it: its status, how the host was fenced, and each instance's state. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EvacuationView(String id, String hostId, String nodeId, String status, String reason, String result,
                             String requestedBy, Instant requestedAt, Instant finishedAt, Fencing fencing,
                             List<InstanceView> instances, String processInstanceId) {

  /** How the host was fenced: by the BMC ({@code by = bmc}) or an operator's confirmation, and when. */
  public record Fencing(String status, String powerRequestId, String by, Instant at, String detail) {}

  /** One instance of the evacuation: its state, target, attempts and last error. */
  public record InstanceView(String id, String fromHost, int size, String state, String target, int attempts,
                             String lastError, String placedOn, Instant claimedAt, Instant finishedAt) {}

  static EvacuationView of(Evacuation e, List<Claim> claims) {
    return new EvacuationView(e.id(), e.hostId(), e.nodeId(), e.status(), e.reason(), e.result(), e.requestedBy(),
        e.requestedAt(), e.finishedAt(),
        new Fencing(e.fencingStatus(), e.fenceRequestId(), e.fencedBy(), e.fencedAt(), e.fencingDetail()),
        claims.stream().map(c -> new InstanceView(c.instanceId(), c.fromHost(), c.size(), c.state(), c.targetHost(),
            c.attempts(), c.lastError(), c.placedOn(), c.claimedAt(), c.finishedAt())).toList(),
        e.processInstanceId());
  }
}
