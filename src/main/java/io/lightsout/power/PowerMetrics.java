package io.lightsout.power;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The queue's metrics: requests by final state (counted once the transaction that made them final commits), open
 * requests fleet-wide, nodes with a queue and held nodes. Gauges read the database at most once per
 * {@link #FRESH_FOR}, whatever the scrape rate; the fleet-wide depth shares {@link FleetQueueGauge} with the accept path.
 */
@Component
class PowerMetrics implements MeterBinder {

  static final Duration FRESH_FOR = Duration.ofSeconds(5);

  private final FleetQueueGauge fleet;
  private final PowerRequestRepository requests;
  private final NodeRepository nodes;
  private final Clock clock;
  private volatile MeterRegistry registry;
  private volatile Reading last = new Reading(0, 0, Instant.EPOCH);

  PowerMetrics(FleetQueueGauge fleet, PowerRequestRepository requests, NodeRepository nodes, Clock clock) {
    this.fleet = fleet;
    this.requests = requests;
    this.nodes = nodes;
    this.clock = clock;
  }

  private record Reading(long nodesWithQueue, long nodesHeld, Instant at) {}

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("lightsout_power_queue_depth", fleet, FleetQueueGauge::openRequests)
        .description("Open power requests (queued, running, held), fleet-wide").register(registry);
    Gauge.builder("lightsout_power_nodes_with_queue", this, m -> m.reading().nodesWithQueue())
        .description("Nodes with at least one open power request").register(registry);
    Gauge.builder("lightsout_nodes_held", this, m -> m.reading().nodesHeld())
        .description("Nodes whose queue is held").register(registry);
  }

  @TransactionalEventListener
  void onFinished(QueueEvents.RequestFinished finished) {
    MeterRegistry meters = registry;
    if (meters != null) {
      Counter.builder("lightsout_power_requests").description("Power requests that reached a final state")
          .tag("action", finished.action().wireName()).tag("status", finished.status().wireName())
          .register(meters).increment();
    }
  }

  private Reading reading() {
    Reading reading = last;
    Instant now = clock.instant();
    if (Duration.between(reading.at(), now).compareTo(FRESH_FOR) >= 0) {
      reading = new Reading(requests.countNodesWithOpen(), nodes.countHeld(), now);
      last = reading;
    }
    return reading;
  }
}
