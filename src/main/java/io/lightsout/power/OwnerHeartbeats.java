package io.lightsout.power;

import java.time.Instant;
import java.util.Optional;

/**
 * The heartbeats of the engine instances sharing the database, as the outage room keeps them
 * (DESIGN §5): the queue asks whether the owner of a request is known alive before carrying it on.
 */
public interface OwnerHeartbeats {

  /** The instance's heartbeat, if it ever registered. */
  Optional<Beat> of(String instanceId);

  /** When it last beat, and whether it stopped cleanly or was declared dead after its heartbeat expired. */
  record Beat(Instant last, boolean stoppedCleanly, boolean declaredDead) {}
}
