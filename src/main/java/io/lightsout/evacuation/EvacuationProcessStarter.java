package io.lightsout.evacuation;

/** Starts a {@code host-evacuation} instance, exactly as the engine REST API would (a port). */
public interface EvacuationProcessStarter {

  /** What the start came to: {@code opened}, {@code duplicate} or {@code rejected}, with the evacuation id. */
  record Started(OpenOutcome outcome) {}

  Started start(String evacuationId, String hostId, String reason);
}
