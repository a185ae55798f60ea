package io.lightsout.power;

import org.springframework.stereotype.Component;

/** Turns queue rows into what people read, with the position computed at read time. */
@Component
public class PowerRequestViews {

  private final PowerRequestRepository requests;

  PowerRequestViews(PowerRequestRepository requests) {
    this.requests = requests;
  }

  public PowerRequestView view(PowerRequest r) {
    Integer position = r.status().isFinal() ? null : requests.ahead(r.nodeId(), r.sequence());
    return new PowerRequestView(r.id(), r.nodeId(), r.action().wireName(), r.status().wireName(), r.reason(),
        r.result(), r.sequence(), position, r.attempts(), r.requestedBy(), r.requestedAt(), r.startedAt(),
        r.finishedAt(), r.mergedInto(), r.ifBusy().wireName(), r.processInstanceId());
  }
}
