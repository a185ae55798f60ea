package io.lightsout.power;

import java.util.List;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;

/**
 * Turns queue rows into what people read, with the position computed at read time. A request that
 * waits behind its node's hold reads {@code held} with the hold, whatever held the node: an operator,
 * an unreachable BMC, an outage or an evacuation (only the evacuation's fencing 'off' passes it).
 */
@Component
public class PowerRequestViews {

  private final PowerRequestRepository requests;
  private final NodeRepository nodes;

  PowerRequestViews(PowerRequestRepository requests, NodeRepository nodes) {
    this.requests = requests;
    this.nodes = nodes;
  }

  public PowerRequestView view(PowerRequest r) {
    if (r.status().isFinal()) {
      return view(r, null, null);
    }
    return view(r, requests.ahead(r), holdOf(r.nodeId()));
  }

  /** A request as its join left it: the join knew what was ahead of it and the node's hold. */
  public PowerRequestView view(JoinOutcome.Joined joined) {
    PowerRequest r = joined.request();
    return r.status().isFinal() ? view(r, null, null) : view(r, joined.ahead(), joined.nodeHold());
  }

  /** A node's open requests in order: each one's position is its index, no count per request. */
  public List<PowerRequestView> queue(List<PowerRequest> open) {
    Hold hold = open.isEmpty() ? null : holdOf(open.get(0).nodeId());
    return IntStream.range(0, open.size()).mapToObj(i -> view(open.get(i), i, hold)).toList();
  }

  private Hold holdOf(String nodeId) {
    return nodes.find(nodeId).map(Node::hold).orElse(null);
  }

  private PowerRequestView view(PowerRequest r, Integer position, Hold nodeHold) {
    boolean waitsOnHold = nodeHold != null && !r.fence()
        && (r.status() == RequestStatus.QUEUED || r.status() == RequestStatus.HELD);
    String status = waitsOnHold ? RequestStatus.HELD.wireName() : r.status().wireName();
    return new PowerRequestView(r.id(), r.nodeId(), r.action().wireName(), status, r.reason(), r.result(),
        r.sequence(), position, r.attempts(), r.requestedBy(), r.requestedAt(), r.startedAt(), r.finishedAt(),
        r.mergedInto(), r.ifBusy().wireName(), r.processInstanceId(), waitsOnHold ? HoldView.of(nodeHold) : null);
  }
}
