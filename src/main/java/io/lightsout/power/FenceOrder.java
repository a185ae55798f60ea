package io.lightsout.power;

import java.time.Instant;

/**
 * An evacuation's order to fence a host's node: a power 'off' at the head of its queue (DESIGN §9).
 *
 * @param requestId    the id of the fencing request (and business key of its power-change instance)
 * @param nodeId       the host's BMC node
 * @param evacuationId the evacuation that fences
 * @param hostId       the host being evacuated
 * @param requestedBy  who asked, e.g. {@code evacuation <id>}
 * @param reason       why, for the node's queue and history
 */
public record FenceOrder(String requestId, String nodeId, String evacuationId, String hostId, String requestedBy,
                         String reason) {

  Hold hold(Instant now) {
    return new Hold(Hold.Kind.EVACUATION, "held for evacuation " + evacuationId + " of host " + hostId
        + ": fencing 'off' first, nothing else until an operator resumes", now);
  }
}
