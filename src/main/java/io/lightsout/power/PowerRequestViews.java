package io.lightsout.power;

import java.util.List;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;

/** Turns queue rows into what people read, with the position computed at read time. */
@Component
public class PowerRequestViews {

  private final PowerRequestRepository requests;

  PowerRequestViews(PowerRequestRepository requests) {
    this.requests = requests;
  }

  public PowerRequestView view(PowerRequest r) {
    return view(r, r.status().isFinal() ? null : requests.ahead(r.nodeId(), r.sequence()));
  }

  /** A node's open requests in order: each one's position is its index, no count per request. */
  public List<PowerRequestView> queue(List<PowerRequest> open) {
    return IntStream.range(0, open.size()).mapToObj(i -> view(open.get(i), i)).toList();
  }

  private PowerRequestView view(PowerRequest r, Integer position) {
    return new PowerRequestView(r.id(), r.nodeId(), r.action().wireName(), r.status().wireName(), r.reason(),
        r.result(), r.sequence(), position, r.attempts(), r.requestedBy(), r.requestedAt(), r.startedAt(),
        r.finishedAt(), r.mergedInto(), r.ifBusy().wireName(), r.processInstanceId());
  }
}
