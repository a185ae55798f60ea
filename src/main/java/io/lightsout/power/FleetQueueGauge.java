package io.lightsout.power;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Open requests fleet-wide, for the soft fleet-wide limit: counted at most once a second, since a
 * {@code COUNT(*)} over every open request on each accept dominated the database's work under load
 * (measured in the power benchmark). Per-node limits stay exact: they are checked under the node's lock.
 */
@Component
class FleetQueueGauge {

  private static final Duration FRESH_FOR = Duration.ofSeconds(1);

  private final PowerRequestRepository requests;
  private final Clock clock;
  private volatile Reading last = new Reading(0, Instant.EPOCH);

  FleetQueueGauge(PowerRequestRepository requests, Clock clock) {
    this.requests = requests;
    this.clock = clock;
  }

  private record Reading(long open, Instant at) {}

  long openRequests() {
    Reading reading = last;
    Instant now = clock.instant();
    if (Duration.between(reading.at(), now).compareTo(FRESH_FOR) >= 0) {
      reading = new Reading(requests.countOpenFleetWide(), now);
      last = reading;
    }
    return reading.open();
  }
}
